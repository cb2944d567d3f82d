import datetime

import pytest

from qiangji.core.models import AuditEntry
from qiangji.members.choices import MemberStatus
from qiangji.recruitment.choices import CaseStatus
from qiangji.recruitment.models import StepRecord
from qiangji.recruitment.tests.factories import D, case_at, open_case

pytestmark = pytest.mark.django_db


def test_full_pipeline_from_application_to_confirmation(world, people):
    case = case_at(world, 24, people)
    assert case.step == 24 and case.status == CaseStatus.CONFIRMED
    assert case.member.status == MemberStatus.FULL
    assert case.member.joined_on == D(2024, 4, 10)
    assert case.member.confirmed_on == D(2025, 4, 10)
    assert case.dues_start_month == D(2024, 4, 1)
    assert case.probation_ends_on == D(2025, 4, 10)
    assert case.admission_form.number == "XF000001"
    assert StepRecord.objects.filter(case=case).count() == 23


def test_application_is_audited_without_clear_id(world):
    case = open_case(world)
    entry = AuditEntry.objects.get(action="recruitment.case.created", target_id=str(case.pk))
    assert entry.after["id_suffix"] == case.id_suffix
    assert case.id_number not in str(entry.after)
    assert entry.org_path == world.branch.path
    assert case.step == 1 and case.applied_on == D(2023, 1, 2)


def test_transfer_keeps_history(world, people):
    from qiangji.recruitment import services

    case = case_at(world, 5, people)
    services.transfer_case(actor=world.users["jiedao"], case=case, organisation=world.branch2,
                           transferred_on=datetime.date(2023, 6, 1), reason="工作调动")
    case.refresh_from_db()
    assert case.organisation == world.branch2
    assert set(case.steps.values_list("org_path", flat=True)) == {world.branch2.path}
    assert case.transfers.get().from_organisation == world.branch

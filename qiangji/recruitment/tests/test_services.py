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
    services.transfer_case(
        actor=world.users["jiedao"],
        case=case,
        organisation=world.branch2,
        transferred_on=datetime.date(2023, 6, 1),
        reason="工作调动",
    )
    case.refresh_from_db()
    assert case.organisation == world.branch2
    assert set(case.steps.values_list("org_path", flat=True)) == {world.branch2.path}
    assert case.transfers.get().from_organisation == world.branch


def test_talk_after_one_month_is_an_alert(world):
    from qiangji.recruitment import services

    case = open_case(world, applied_on=D(2025, 1, 31))
    record = services.record_talk(actor=world.users["zhibu"], case=case, date=D(2025, 3, 1), talker="李四")
    assert any("step02.talk_within" in alert and "2025-02-28" in alert for alert in record.fields["alerts"])
    on_time = open_case(world, applied_on=D(2025, 1, 31), name="准时", birth=D(1999, 1, 1))
    record = services.record_talk(
        actor=world.users["zhibu"], case=on_time, date=D(2025, 2, 28), talker="李四"
    )
    assert "alerts" not in record.fields


@pytest.mark.parametrize(("day", "late"), [(D(2024, 6, 10), False), (D(2024, 6, 11), True)])
def test_oath_within_one_month_of_approval_from_2026(world, people, settings, day, late):
    from qiangji.recruitment import services

    settings.QIANGJI_FZDY_2026_EFFECTIVE = "2024-05-01"  # so the approval (2024-05-10) falls under fzdy-2026
    case = case_at(world, 19, people)
    record = services.administer_oath(actor=world.users["zhibu"], case=case, date=day)
    assert record.rule_set == "fzdy-2026"
    assert any("fzdy-2026:step20.oath_within" in alert for alert in record.fields.get("alerts", [])) is late


def test_no_oath_rule_under_2014(world, people):
    from qiangji.recruitment import services

    case = case_at(world, 19, people)
    record = services.administer_oath(actor=world.users["zhibu"], case=case, date=D(2024, 8, 1))
    assert record.rule_set == "fzdy-2014" and "alerts" not in record.fields


def test_objection_outside_the_window_is_refused_and_resolution_once(world, people):
    from django.core.exceptions import ValidationError

    from qiangji.recruitment import services

    case = case_at(world, 6, people)
    zhibu = world.users["zhibu"]
    notice = services.publish_notice(
        actor=zhibu,
        case=case,
        purpose="target",
        starts_on=D(2025, 9, 29),
        working_days=5,
        place="公示栏",
        text_="拟确定为发展对象",
    )
    assert notice.ends_on == D(2025, 10, 11) and not notice.provisional
    with pytest.raises(ValidationError):
        services.record_objection(actor=zhibu, notice=notice, received_on=D(2025, 10, 12), summary="晚了")
    objection = services.record_objection(
        actor=zhibu, notice=notice, received_on=D(2025, 10, 11), summary="反映"
    )
    services.resolve_objection(
        actor=zhibu, objection=objection, resolved_on=D(2025, 10, 13), resolution="已核实"
    )
    with pytest.raises(ValidationError):
        services.resolve_objection(
            actor=zhibu, objection=objection, resolved_on=D(2025, 10, 14), resolution="再次"
        )
    assert AuditEntry.objects.filter(action="recruitment.objection.resolved", target_id=str(case.pk)).exists()


def test_archive_lists_missing_documents_then_archives(world, people):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from qiangji.recruitment import services
    from qiangji.recruitment.choices import ARCHIVE_CHECKLIST

    case = case_at(world, 24, people)
    zhibu = world.users["zhibu"]
    with pytest.raises(ValidationError) as info:
        services.archive_case(actor=zhibu, case=case, archived_on=D(2025, 5, 10))
    assert "入党志愿书" in str(info.value)
    for kind in ARCHIVE_CHECKLIST:
        services.add_document(
            actor=zhibu, case=case, kind=kind, title=kind.label, file=ContentFile(b"%PDF-1.4", name="a.pdf")
        )
    assert all(present for _k, _l, present in services.archive_checklist(case))
    services.archive_case(actor=zhibu, case=case, archived_on=D(2025, 5, 10))
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.step == 25
    assert AuditEntry.objects.filter(action="recruitment.document.added").count() == len(ARCHIVE_CHECKLIST)


def test_meeting_is_audited_with_the_numbers(world, people):
    case = case_at(world, 15, people)
    entry = AuditEntry.objects.get(action="recruitment.meeting.held", target_id=str(case.pk))
    assert entry.after["entitled"] == 4 and entry.after["quorate"] and entry.after["passed"]
    created = AuditEntry.objects.get(action="members.member.created", target_id=str(case.member_id))
    assert created.after["status"] == MemberStatus.PROBATIONARY


def test_form_numbers_are_issued_in_order_and_ranges_cannot_overlap(world, people):
    from django.core.exceptions import ValidationError

    from qiangji.recruitment import services

    case = case_at(world, 14, people)
    assert case.admission_form.number == "XF000001"
    with pytest.raises(ValidationError):
        services.add_form_range(
            actor=world.users["jiedao"],
            organisation=world.street,
            first_number=50,
            last_number=150,
            received_on=D(2023, 1, 1),
            prefix="XF",
        )


def test_plan_is_saved_and_audited(world):
    from qiangji.recruitment import services

    plan = services.save_plan(
        actor=world.users["jiedao"], organisation=world.community, year=2025, group="young_farmer", planned=5
    )
    services.save_plan(
        actor=world.users["jiedao"], organisation=world.community, year=2025, group="young_farmer", planned=6
    )
    plan.refresh_from_db()
    assert plan.planned == 6
    assert AuditEntry.objects.filter(action="recruitment.plan.saved").count() == 2


def test_foreign_case_is_not_found_by_services(world):
    from django.http import Http404

    from qiangji.recruitment import services
    from qiangji.recruitment.tests.factories import foreign_case

    case = foreign_case(world)
    with pytest.raises(Http404):
        services.record_talk(actor=world.users["zhibu"], case=case, date=D(2023, 1, 20), talker="李四")
    assert case.steps.count() == 1

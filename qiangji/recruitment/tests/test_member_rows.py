"""A member whose membership moves (a transfer accepted) takes their development case along: every row
on the case's path is registered with `core.paths` in `RecruitmentConfig.ready()`."""

import pytest
from django.db import transaction

from qiangji.core import paths
from qiangji.recruitment import models
from qiangji.recruitment.tests.factories import D, case_at, open_case

pytestmark = pytest.mark.django_db

CASE_ROWS = (
    "steps",
    "documents",
    "mentors",
    "sponsors",
    "vettings",
    "trainings",
    "signoffs",
    "gate_overrides",
    "probation_decisions",
    "notices",
    "votes",
)


def test_moving_a_member_moves_their_case_and_its_rows(world, people):
    case = case_at(world, 16, people)
    assert case.member is not None and case.org_path == world.branch.path
    notice = models.PublicNotice.objects.create(
        case=case,
        org_path=case.org_path,
        purpose="admission",
        place="公示栏",
        text="拟发展",
        starts_on=D(2024, 4, 1),
        working_days=5,
        ends_on=D(2024, 4, 8),
    )
    models.Objection.objects.create(
        notice=notice, org_path=case.org_path, received_on=D(2024, 4, 2), summary="反映"
    )
    other = open_case(world, birth=D(2001, 2, 3), name="李另一")
    before_other = other.org_path

    with transaction.atomic():
        moved = paths.move_member_rows(case.member, world.branch2)

    case.refresh_from_db()
    assert case.org_path == world.branch2.path
    assert case.organisation_id == world.branch2.pk
    assert case.region_code == world.branch2.region_code
    assert moved["recruitment.case"] == 1
    for name in CASE_ROWS:
        rows = getattr(case, name).all()
        assert all(row.org_path == world.branch2.path for row in rows), name
    assert case.steps.count() > 0 and case.mentors.exists() and case.sponsors.exists() and case.votes.exists()
    assert models.Objection.objects.get(notice=notice).org_path == world.branch2.path
    assert models.AdmissionForm.objects.get(case=case).org_path == world.branch2.path
    other.refresh_from_db()
    assert other.org_path == before_other  # a case without that member stays

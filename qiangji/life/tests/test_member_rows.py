"""A member whose transfer is accepted takes their own life summary along; the meetings stay where they were held."""

import datetime

import pytest
from freezegun import freeze_time

from qiangji.core import paths
from qiangji.life import services
from qiangji.life.models import Attendance, BranchLifeYear, MemberLife
from qiangji.life.tests.factories import schedule

pytestmark = pytest.mark.django_db


@freeze_time("2026-06-30 12:00:00+08:00")
def test_move_member_rows_moves_member_life_not_attendance(world, branch_members):
    member = branch_members[0]
    meeting = schedule(world, "group", planned_on=datetime.date(2026, 6, 10))
    services.record_attendance(actor=world.users["jiedao"], meeting=meeting, member=member, status="present")
    services.record_held(actor=world.users["jiedao"], meeting=meeting, held_on=datetime.date(2026, 6, 10))
    life = MemberLife.objects.get(member=member)
    assert life.org_path == world.branch.path

    moved = paths.move_member_rows(member, world.branch2)

    assert moved["life.memberlife"] == 1
    life.refresh_from_db()
    assert (life.org_path, life.last_attended_on) == (world.branch2.path, datetime.date(2026, 6, 10))
    # The meeting was the old branch's: its attendance row and its rollup stay on the old branch's path.
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert row.org_path == world.branch.path
    assert not [label for label in moved if label.startswith("life.") and label != "life.memberlife"]
    assert BranchLifeYear.objects.filter(organisation=world.branch, year=2026).exists()
    assert not BranchLifeYear.objects.filter(organisation=world.branch2).exists()

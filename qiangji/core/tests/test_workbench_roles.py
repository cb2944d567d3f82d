"""The work bench per role with the apps' real providers (issue #12 item 3): a branch secretary with
meetings to record and development steps due sees them, each line's count equals the list it links to; a
plain member sees no management lines; a foreign county sees nothing of this county."""

import datetime
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.core import workbench
from qiangji.life.models import Meeting
from qiangji.life.tests.factories import schedule
from qiangji.recruitment.tests.ui_factories import make_case

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_branch(world):
    with freeze_time("2026-03-01 09:00:00"):
        for day in (3, 4, 5, 6):
            schedule(world, "branch_general", planned_on=D(2026, 3, day))
        schedule(world, "branch_general", planned_on=D(2026, 3, 28))  # still ahead: nothing to record yet
    for index in range(3):  # the talk is due one month after the application: overdue by 20 March
        make_case(world.branch, name=f"申请人丙{index}", applied_on=D(2026, 1, 10 + index))
    return world


def lines_of(user, module):
    return [line for line in workbench.todos_for(user) if line["module"] == module]


@freeze_time("2026-03-20 09:00:00")
def test_branch_secretary_sees_meetings_to_record_and_steps_due(busy_branch, client_as):
    world = busy_branch
    secretary = world.users["zhibu"]
    life = [line for line in lines_of(secretary, "life") if "补录会议记录" in line["text"]]
    assert len(life) == 1 and life[0]["count"] == 4
    assert life[0]["url"] == reverse("life:calendar", kwargs={"org_pk": world.branch.pk})
    late = Meeting.objects.filter(organisation=world.branch, status="planned", planned_on__lt=D(2026, 3, 20))
    assert life[0]["count"] == late.count()

    recruitment = lines_of(secretary, "recruitment")
    assert recruitment and recruitment[0]["level"] == "danger"
    talk = next(line for line in recruitment if "第2步" in line["text"])
    assert talk["count"] == 3 and "3 人已逾期" in talk["text"]
    client = client_as(secretary)
    listed = client.get(talk["url"]).content.decode()  # the due list of that rule lists exactly those
    assert len(set(re.findall(r"申请人丙\d", listed))) == talk["count"]

    home = client.get(reverse("home")).content.decode()
    assert "暂无待办事项" not in home
    assert "4 次会议已过计划日期" in home and "3 人已逾期" in home


@freeze_time("2026-03-20 09:00:00")
def test_a_plain_member_and_a_foreign_county_see_no_management_lines(busy_branch, client_as):
    world = busy_branch
    assert workbench.todos_for(world.users["dangyuan"]) == []
    foreign = workbench.todos_for(world.users["foreign"])
    assert not [line for line in foreign if line["module"] in ("life", "recruitment")]
    text = client_as(world.users["dangyuan"]).get(reverse("home")).content.decode()
    assert "我的管辖范围" not in text


@freeze_time("2026-03-20 09:00:00")
def test_the_county_sees_the_branch_lines_and_the_all_page_groups_them(busy_branch, client_as):
    world = busy_branch
    county = workbench.todos_for(world.users["xian"])
    assert {"life", "recruitment"} <= {line["module"] for line in county}
    text = client_as(world.users["xian"]).get(reverse("todos")).content.decode()
    assert "组织生活" in text and "发展党员" in text and "4 次会议已过计划日期" in text


@freeze_time("2026-03-20 09:00:00")
def test_the_daily_digest_notifies_new_lines_once_and_is_idempotent_per_day(busy_branch):
    from qiangji.core import digest, schedule
    from qiangji.core.models import AuditEntry, Notification

    world = busy_branch
    secretary = world.users["zhibu"]
    lines = workbench.todos_for(secretary)
    first = digest.send_daily_digest()
    mine = Notification.objects.filter(recipient=secretary)
    assert mine.filter(kind=digest.digest_kind(D(2026, 3, 20))).count() == 1
    assert mine.filter(kind__startswith=digest.TODO_KIND_PREFIX).count() == len(lines)
    assert {n.title for n in mine.filter(kind__startswith=digest.TODO_KIND_PREFIX)} == {
        line["text"] for line in lines
    }
    assert not Notification.objects.filter(recipient=world.users["dangyuan"]).exists()  # nothing to do
    again = digest.send_daily_digest()  # the same day: nothing new
    assert again["digests"] == 0 and again["new_items"] == 0 and first["digests"] >= 1
    assert mine.count() == len(lines) + 1
    assert AuditEntry.objects.filter(action="core.workbench.digest").count() == 2
    with freeze_time("2026-03-21 09:00:00"):
        digest.send_daily_digest()
    assert mine.filter(kind__startswith=digest.DIGEST_KIND_PREFIX).count() == 2  # a digest a day
    assert mine.filter(kind__startswith=digest.TODO_KIND_PREFIX).count() == len(lines)  # lines not resent
    assert "core.workbench_digest" in [job.name for job in schedule.registered()]

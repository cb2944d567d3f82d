"""The daily digest: branch secretaries hear about their own branch only; one audit entry per run."""

import datetime

import pytest
from django.core.management import call_command

from qiangji.core.choices import Role
from qiangji.core.models import AuditEntry, Notification
from qiangji.recruitment.jobs import send_due_digest, send_due_digest_task
from qiangji.recruitment.tests.ui_factories import make_case
from qiangji.testing import add_user

DAY = datetime.date(2026, 11, 2)


@pytest.fixture
def cases(world):
    make_case(world.branch, name="逾期者", applied_on=datetime.date(2026, 9, 1))  # talk due 10-01: overdue
    make_case(world.branch, name="将到期", applied_on=datetime.date(2026, 10, 5))  # due 11-05
    make_case(world.branch2, name="二支部", applied_on=datetime.date(2026, 10, 5))
    make_case(world.foreign_branch, name="外县", applied_on=datetime.date(2026, 9, 1))
    return add_user("zhibu2", world.branch2, Role.BRANCH)


def test_digest_notifies_each_branch_secretary_about_their_branch(world, cases):
    result = send_due_digest(day=DAY, horizon=7)
    mine = Notification.objects.get(recipient=world.users["zhibu"])
    assert "1项逾期、1项7天内到期" in mine.title and world.branch.name in mine.title
    assert "第2步 派人谈话" in mine.body and "逾期1人" in mine.body
    assert mine.url.endswith(f"?org={world.branch.pk}&days=7")
    other = Notification.objects.get(recipient=cases)
    assert "0项逾期、1项7天内到期" in other.title
    assert not Notification.objects.filter(
        recipient=world.users["jiedao"]
    ).exists()  # committees: not branch grants
    assert (
        result["branches_with_items"] == 3 and result["branches_notified"] == 2
    )  # no secretary in the foreign one
    entries = AuditEntry.objects.filter(action="recruitment.digest.sent")
    assert entries.count() == 1 and entries.get().after["notifications"] == 2


def test_nothing_due_sends_nothing_but_the_run_is_recorded(world):
    result = send_due_digest(day=DAY)
    assert result["notifications"] == 0 and not Notification.objects.exists()
    assert AuditEntry.objects.filter(action="recruitment.digest.sent").count() == 1


def test_digest_query_count_does_not_grow_with_branches(world, cases, django_assert_max_num_queries):
    from qiangji.recruitment.selectors import due

    rules = len(due.deadline_rules(DAY))
    with django_assert_max_num_queries(rules + 12):
        send_due_digest(day=DAY)


def test_command_and_task(world, cases, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("recruitment_digest", "--date", "2026-11-02", "--days", "7")
    assert "已通知 2 个党支部" in capsys.readouterr().out
    result = send_due_digest_task.call(7)
    assert "notifications" in result


def test_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("recruitment_digest", "--date", "2026-13-01")

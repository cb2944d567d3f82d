"""Incremental refresh: after a write through a real service, one refresh step (called directly, no
sleeping) brings every node's figures back in line with the base tables — members, recruitment,
meetings and check-in, dues, mobile members, moves of members and of organisations."""

import datetime
from decimal import Decimal

from django.db import transaction

from qiangji.core import audit
from qiangji.dashboard import jobs, selectors
from qiangji.dashboard.models import RollupState, StockRollup
from qiangji.dashboard.rollups import engine
from qiangji.dashboard.tests.rollup_world import held_meeting, populate
from qiangji.dashboard.tests.test_rollup import NODES, actual, expected
from qiangji.dues import services as dues
from qiangji.life import services as life
from qiangji.members.models import Member
from qiangji.members.services import move_member, record_status_event
from qiangji.mobility import services as mobility
from qiangji.mobility.tests.factories import FLOW_VALUES
from qiangji.orgs.services import move_subtree
from qiangji.recruitment import services as recruitment


def assert_all_nodes_current(world, data):
    for node in NODES:
        org = getattr(world, node)
        org.refresh_from_db()
        assert actual(org, data) == expected(world, org, data), node


def province(world, data, name):
    return getattr(StockRollup.objects.get(org=world.province, month=data.month), name)


def test_member_status_change(world, data):
    member = Member.objects.get(name="王五")
    record_status_event(
        actor=world.users["zhibu"],
        member=member,
        status="lost_contact",
        effective_on=data.today,
        reason="联系不上",
    )
    assert province(world, data, "m_lost_contact") == 0
    result = engine.refresh()
    assert result["organisations"] >= 6  # the branch and its five ancestors
    assert province(world, data, "m_lost_contact") == 1
    assert_all_nodes_current(world, data)


def test_recruitment_step(world, data):
    before = province(world, data, "dev_overdue")
    recruitment.record_talk(actor=world.users["zhibu"], case=data.case, date=data.today, talker="张书记")
    engine.refresh()
    assert province(world, data, "dev_overdue") < before
    assert_all_nodes_current(world, data)


def test_meeting_held_approved_and_check_in(world, data):
    meeting = held_meeting(world, data.today)
    life.submit_meeting(actor=world.users["zhibu"], meeting=meeting)
    engine.refresh()
    from qiangji.dashboard.models import FlowRollup

    assert FlowRollup.objects.get(org=world.province, month=data.month).life_meetings == 1
    life.approve_meeting(actor=world.users["jiedao"], meeting=meeting)
    planned = life.schedule_meeting(
        actor=world.users["zhibu"],
        organisation=world.branch,
        meeting_type=meeting.meeting_type,
        planned_on=data.today,
    )
    code = life.issue_checkin_code(actor=world.users["zhibu"], meeting=planned, minutes=60)
    stamp = StockRollup.objects.get(org=world.branch, month=data.month).refreshed_at
    life.check_in(token=code.token, user=world.users["dangyuan"])
    engine.refresh()
    assert StockRollup.objects.get(org=world.branch, month=data.month).refreshed_at > stamp
    assert_all_nodes_current(world, data)


def test_dues_payment(world, data):
    member = Member.objects.get(name="王五")
    dues.record_payment(
        actor=world.users["zhibu"],
        member=member,
        months_paid=[data.previous],
        amount=Decimal("40.00"),
        method="cash",
    )
    engine.refresh()
    summary = selectors.node_summary(world.province)
    assert summary["figures"]["dues_rate"]["numerator"] == 80.0  # 李四 and 王五 paid last month
    assert_all_nodes_current(world, data)


def test_mobile_member_registered_and_ended(world, data):
    member = Member.objects.get(name="赵六")
    flow = mobility.register_outflow(actor=world.users["zhibu"], member=member, values=dict(FLOW_VALUES))
    engine.refresh()
    assert province(world, data, "mob_unaccounted") == 1
    assert_all_nodes_current(world, data)
    mobility.end_flow(actor=world.users["zhibu"], flow=flow)
    engine.refresh()
    assert province(world, data, "mob_unaccounted") == 0
    assert_all_nodes_current(world, data)


def test_member_moved_updates_both_sides(world, data):
    member = Member.objects.get(name="赵六")
    with transaction.atomic():
        move_member(actor=world.users["sheng"], member=member, branch=world.foreign_branch, reason="转接")
    engine.refresh()
    assert_all_nodes_current(world, data)


def test_organisation_moved_updates_old_and_new_ancestors(world, data):
    county_before = StockRollup.objects.get(org=world.county, month=data.month).m_on_roll
    move_subtree(actor=world.users["sheng"], org=world.branch2, new_parent=world.foreign_county)
    engine.refresh()
    county_after = StockRollup.objects.get(org=world.county, month=data.month).m_on_roll
    assert county_after == county_before - 1  # 钱女士 (probationary) went with her branch
    assert_all_nodes_current(world, data)
    moved = StockRollup.objects.get(org=world.branch2, month=data.month)
    assert moved.parent_id == world.foreign_county.pk


def test_refresh_without_writes_changes_nothing(world, data):
    engine.refresh()  # the populate entries are inside the overlap window: recomputed, same figures
    first = actual(world.province, data)
    engine.refresh()
    assert actual(world.province, data) == first


def test_a_write_reaches_the_province_through_the_listener(world, data, django_capture_on_commit_callbacks):
    """The whole chain as it runs in production, minus the wait: audit.record → on_commit → the refresh
    task (run at once by the test backend) → the province figure."""
    member = Member.objects.get(name="王五")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            record_status_event(
                actor=world.users["zhibu"],
                member=member,
                status="lost_contact",
                effective_on=data.today,
                reason="联系不上",
            )
    assert province(world, data, "m_lost_contact") == 1


def test_the_refresh_is_scheduled_well_within_a_minute(world, data, settings):
    """With a deferring backend (the demo's database backend, RQ) the task runs DEBOUNCE_SECONDS later;
    the worker polls every second and a refresh of a branch's ancestors takes well under a second."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    backend = jobs.refresh_task.get_backend()
    backend.clear()
    assert jobs.schedule_refresh() is True
    assert jobs.schedule_refresh() is False  # debounced: one pending run covers a burst of writes
    [result] = backend.results
    delay = (result.task.run_after - datetime.datetime.now(datetime.UTC)).total_seconds()
    assert 0 < delay <= jobs.DEBOUNCE_SECONDS
    assert jobs.DEBOUNCE_SECONDS + engine.OVERLAP.total_seconds() / 10 < 60
    assert default_task_backend is not None


def test_listener_is_registered():
    assert jobs.nudge in audit._listeners


def test_refresh_records_its_state(world, data):
    engine.refresh()
    row = RollupState.objects.get()
    assert row.last_refresh_at and row.last_rebuild_at and row.last_rebuild_seconds is not None
    assert selectors.data_state()["last_refresh_at"] == row.last_refresh_at


def test_refresh_task_builds_the_rollups_the_first_time(world):
    populate(world)
    result = jobs.refresh_task.call()
    assert result["rebuilt"] is True
    assert StockRollup.objects.filter(org=world.province).exists()
    assert jobs.refresh_task.call()["organisations"] >= 0


def test_rebuild_as_a_job(world):
    job = jobs.start_rebuild(actor=world.users["sheng"], org_path=world.province.path)
    job.refresh_from_db()
    assert job.status == "succeeded" and "total" in job.result
    assert StockRollup.objects.filter(org=world.province).exists()


def test_dashboard_commands(world):
    from django.core.management import call_command

    call_command("dashboard_rebuild", months=3)
    call_command("dashboard_refresh")
    assert RollupState.objects.get().last_refresh_at is not None

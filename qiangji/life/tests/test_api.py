import datetime

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from qiangji.core.models import AuditEntry
from qiangji.life.models import Attendance, Meeting
from qiangji.life.tests.factories import schedule

pytestmark = pytest.mark.django_db
API = "/api/v1/life"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return as_user


@freeze_time("2026-03-20 10:00:00+08:00")
def test_theme_day_end_to_end_from_a_phone(world, api):
    jiedao, zhibu, member = (api(world.users[name]) for name in ("jiedao", "zhibu", "dangyuan"))
    response = jiedao.post(
        f"{API}/themes/",
        {
            "organisation": world.street.pk,
            "year": 2026,
            "month": 3,
            "title": "学党史",
            "items": [{"kind": "required", "title": "学习一小时"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    item_id = response.json()["items"][0]["id"]
    plan = zhibu.post(f"{API}/plans/", {"organisation": world.branch.pk, "year": 2026}, format="json").json()
    assert [i["meeting_type_code"] for i in plan["items"]] == ["theme_day"]
    meeting = zhibu.post(
        f"{API}/meetings/",
        {"organisation": world.branch.pk, "meeting_type": "theme_day", "planned_on": "2026-03-20"},
        format="json",
    ).json()
    code = zhibu.post(f"{API}/meetings/{meeting['id']}/checkin-code/", {}, format="json").json()
    first = member.post(f"{API}/checkin/", {"token": code["token"]}, format="json")
    again = member.post(f"{API}/checkin/", {"token": code["token"]}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["detail"] == "已签到" and again.json()["attendance"] == first.json()["attendance"]
    future = zhibu.post(f"{API}/meetings/{meeting['id']}/held/", {"held_on": "2026-03-21"}, format="json")
    assert future.status_code == 400 and future.json()["detail"] == "会议尚未举行，不能记录为已召开"
    assert (
        zhibu.post(
            f"{API}/meetings/{meeting['id']}/held/",
            {"held_on": "2026-03-20", "minutes": "学习"},
            format="json",
        ).status_code
        == 200
    )
    assert zhibu.post(f"{API}/meetings/{meeting['id']}/submit/").status_code == 400  # checklist not accounted
    assert (
        zhibu.post(
            f"{API}/meetings/{meeting['id']}/checklist/",
            {"item": item_id, "evidence": "学了一小时"},
            format="json",
        ).status_code
        == 200
    )
    assert zhibu.post(f"{API}/meetings/{meeting['id']}/submit/").json()["status"] == "submitted"
    assert zhibu.post(f"{API}/meetings/{meeting['id']}/approve/").status_code == 400
    assert jiedao.post(f"{API}/meetings/{meeting['id']}/approve/").json()["status"] == "approved"
    running = jiedao.get(f"{API}/compliance/", {"period": "month", "year": 2026, "number": 3}).json()
    assert running["running"] is True and running["missing"] == 0  # March is not over: nothing fails yet
    with freeze_time("2026-04-03 10:00:00+08:00"):  # March complete
        summary = jiedao.get(f"{API}/compliance/", {"period": "month", "year": 2026, "number": 3}).json()
        theme = next(t for t in summary["types"] if t["code"] == "theme_day")
        assert (summary["branches"], theme["held_branches"], summary["checklist"]["score"]) == (2, 1, 1.0)
        assert summary["attendance"] == {"due": 4, "present": 1, "rate": 0.25} and not summary["running"]
        query = {"year": 2026, "number": 3, "missing": "true"}
        rows = jiedao.get(f"{API}/compliance/branches/", query).json()
        assert rows["count"] == 2


@freeze_time("2026-03-20 10:00:00+08:00")
def test_roles_and_foreign_subtree(world, api):
    meeting = schedule(world)
    body = {"organisation": world.branch.pk, "meeting_type": "group", "planned_on": "2026-03-25"}
    assert api(None).post(f"{API}/meetings/", body, format="json").status_code == 401
    assert api(world.users["dangyuan"]).post(f"{API}/meetings/", body, format="json").status_code == 404
    assert api(world.users["foreign"]).post(f"{API}/meetings/", body, format="json").status_code == 404
    assert api(world.users["foreign"]).get(f"{API}/meetings/{meeting.pk}/").status_code == 404
    assert api(world.users["dangyuan"]).get(f"{API}/meetings/{meeting.pk}/").status_code == 200  # own branch
    assert (
        api(world.users["dangyuan"])
        .post(f"{API}/meetings/{meeting.pk}/held/", {"held_on": "2026-03-20"}, format="json")
        .status_code
        == 404
    )
    assert (
        api(world.users["foreign"])
        .get(f"{API}/compliance/", {"year": 2026, "org": world.branch.pk})
        .status_code
        == 404
    )
    assert api(world.users["nobody"]).get(f"{API}/compliance/", {"year": 2026}).status_code == 404
    assert Meeting.objects.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="life.", actor=world.users["foreign"]).exists()


@freeze_time("2026-03-20 10:00:00+08:00")
def test_attendance_outsider_refused_with_message(world, api):
    meeting = schedule(world)
    client = api(world.users["jiedao"])
    from qiangji.members.models import Member

    stranger = Member.objects.create(
        **{
            **{
                f.attname: getattr(world.member, f.attname)
                for f in Member._meta.concrete_fields
                if f.attname != "id"
            },
            "organisation_id": world.branch2.pk,
            "org_path": world.branch2.path,
            "id_number_hash": "h2",
            "user_id": None,
        }
    )
    url = f"{API}/meetings/{meeting.pk}/attendance/"
    response = client.post(url, {"member": stranger.pk, "status": "present"}, format="json")
    assert response.status_code == 400 and "不是本支部党员" in response.json()["detail"]
    assert (
        client.post(url, {"member": world.foreign_member.pk, "status": "present"}, format="json").status_code
        == 404
    )
    assert not Attendance.objects.exists()
    assert (
        client.post(
            url, {"member": stranger.pk, "status": "present", "as_guest": True}, format="json"
        ).json()["is_guest"]
        is True
    )


def test_lists_pin_query_counts(world, api, django_assert_max_num_queries):
    for day in range(1, 11):
        schedule(world, planned_on=datetime.date(2026, 3, day))
    client = api(world.users["jiedao"])
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/meetings/", {"org": world.community.pk})
    assert response.json()["count"] == 10
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{API}/meeting-types/").json()) == 9


@freeze_time("2026-03-20 10:00:00+08:00")
def test_checkin_errors(world, api):
    client = api(world.users["dangyuan"])
    response = client.post(f"{API}/checkin/", {"token": "wrong"}, format="json")
    assert response.status_code == 400 and "签到码无效" in response.json()["detail"]
    assert api(None).post(f"{API}/checkin/", {"token": "wrong"}, format="json").status_code == 401

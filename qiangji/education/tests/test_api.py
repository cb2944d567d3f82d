"""The education API: sessions and heartbeats (409 with the reason), bad input (400 naming the field),
the learner's year and the ledger through the scope."""

import pytest

from qiangji.education.models import WatchSession
from qiangji.education.tests.factories import published_chapter

pytestmark = pytest.mark.django_db


def test_session_heartbeat_and_refusals(world, client_as):
    chapter = published_chapter(world, seconds=60)
    client = client_as(world.users["dangyuan"])
    started = client.post(
        "/api/v1/education/sessions/", {"chapter": chapter.pk}, content_type="application/json"
    )
    assert started.status_code == 201
    token = started.json()["token"]
    WatchSession.objects.filter(token=token).update(
        last_seen_at=WatchSession.objects.get(token=token).last_seen_at.replace(year=2020)
    )
    ok = client.post(
        "/api/v1/education/sessions/heartbeat/",
        {"token": token, "seq": 1, "start": 0, "end": 5},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["covered_seconds"] == 5
    replay = client.post(
        "/api/v1/education/sessions/heartbeat/",
        {"token": token, "seq": 1, "start": 5, "end": 10},
        content_type="application/json",
    )
    assert (
        replay.status_code == 409 and replay.json()["code"] == "replayed" and "seq" in replay.json()["fields"]
    )
    fast = client.post(
        "/api/v1/education/sessions/heartbeat/",
        {"token": token, "seq": 2, "start": 5, "end": 60},
        content_type="application/json",
    )
    assert fast.status_code == 409 and fast.json()["code"] == "too_fast"
    client.post("/api/v1/education/sessions/", {"chapter": chapter.pk}, content_type="application/json")
    other_device = client.post(
        "/api/v1/education/sessions/heartbeat/",
        {"token": token, "seq": 3, "start": 5, "end": 6},
        content_type="application/json",
    )
    assert other_device.status_code == 409 and other_device.json()["code"] == "superseded"
    assert WatchSession.objects.get(token=token).intervals == [[0, 5]]


def test_bad_heartbeat_input_names_the_field(world, client_as):
    client = client_as(world.users["dangyuan"])
    bad = client.post(
        "/api/v1/education/sessions/heartbeat/",
        {"token": "x", "seq": 0, "start": -1, "end": "a"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"seq", "start", "end"} <= set(bad.json()["fields"])


def test_a_foreign_chapter_cannot_be_started(world, client_as):
    chapter = published_chapter(world, seconds=60)
    from qiangji.testing import add_member, add_user

    outsider = add_user("waixian", world.foreign_branch, "member")
    add_member(world.foreign_branch, "外县学员", user=outsider)
    response = client_as(outsider).post(
        "/api/v1/education/sessions/", {"chapter": chapter.pk}, content_type="application/json"
    )
    assert response.status_code == 404 and not WatchSession.objects.exists()


def test_my_year_and_the_ledger(world, client_as):
    me = client_as(world.users["dangyuan"]).get("/api/v1/education/me/?year=2026")
    assert me.status_code == 200 and me.json()["required_hh"] == 64
    assert client_as(world.users["dangyuan"]).get("/api/v1/education/me/?year=99999").status_code == 400
    ledger = client_as(world.users["zhibu"]).get("/api/v1/education/ledger/?year=2026")
    assert ledger.status_code == 200 and ledger.json()["count"] == 4
    coverage = client_as(world.users["xian"]).get("/api/v1/education/coverage/?year=2026")
    assert sum(row["members"] for row in coverage.json()) == 4
    assert (
        client_as(world.users["zhibu"])
        .get(f"/api/v1/education/members/{world.foreign_member.pk}/year/")
        .status_code
        == 404
    )

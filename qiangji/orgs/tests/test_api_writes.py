"""The organisation writes the pages offer, through the API (issue #12, build 10): edit, move, merge,
dissolve, elect, grants; each through its service, scoped (404 outside), bad input 400 naming the field."""

import pytest

from qiangji.core.models import AuditEntry, Notification
from qiangji.orgs.models import Committee, Grant, Organisation

pytestmark = pytest.mark.django_db
API = "/api/v1/organisations"


def test_edit_through_the_api(world, client_as):
    client = client_as(world.users["jiedao"])
    response = client.patch(
        f"{API}/{world.branch.pk}/", {"short_name": "一支部"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["short_name"] == "一支部"
    assert AuditEntry.objects.filter(action="orgs.organisation.updated").exists()
    foreign = client.patch(
        f"{API}/{world.foreign_branch.pk}/", {"short_name": "x"}, content_type="application/json"
    )
    assert foreign.status_code == 404
    bad = client.patch(f"{API}/{world.branch.pk}/", {"kind": ""}, content_type="application/json")
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]


def test_move_merge_dissolve(world, client_as):
    client = client_as(world.users["jiedao"])
    # the node's own managers may not restructure it (decided one level up): 404
    own = client_as(world.users["zhibu"]).post(
        f"{API}/{world.branch.pk}/move/", {"new_parent": world.street.pk}
    )
    assert own.status_code == 404
    client = client_as(world.users["jiedao"])
    missing = client.post(f"{API}/{world.branch.pk}/move/", {}, content_type="application/json")
    assert missing.status_code == 400 and "new_parent" in missing.json()["fields"]
    outside = client.post(f"{API}/{world.branch.pk}/move/", {"new_parent": world.foreign_county.pk})
    assert outside.status_code == 404
    moved = client.post(f"{API}/{world.branch.pk}/move/", {"new_parent": world.street.pk})
    assert (
        moved.status_code == 200
        and Organisation.objects.get(pk=world.branch.pk).get_parent().pk == world.street.pk
    )
    merged = client.post(f"{API}/{world.branch2.pk}/merge/", {"target": world.branch.pk, "on": "2025-01-01"})
    assert merged.status_code == 200 and merged.json()["merged_into"] == world.branch.pk
    bad_date = client.post(f"{API}/{world.branch.pk}/dissolve/", {"on": "soon", "reason": "撤销"})
    assert bad_date.status_code == 400 and "on" in bad_date.json()["fields"]
    assert Organisation.objects.get(pk=world.branch.pk).dissolved_on is None


def test_elect_and_grants(world, client_as):
    client = client_as(world.users["xian"])
    body = {
        "elected_on": "2024-03-01",
        "seats": [
            {"name": "书记甲", "post": "secretary"},
            {"member": world.member.pk, "post": "organisation"},
        ],
    }
    response = client.post(f"{API}/{world.branch.pk}/elect/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Committee.objects.filter(organisation=world.branch, ended_on__isnull=True).count() == 1
    foreign_member = {
        "elected_on": "2024-03-01",
        "seats": [{"member": world.foreign_member.pk, "post": "secretary"}],
    }
    refused = client.post(f"{API}/{world.branch.pk}/elect/", foreign_member, content_type="application/json")
    assert refused.status_code == 400 and "seats" in refused.json()["fields"]

    granted = client.post(f"{API}/{world.branch.pk}/grants/", {"username": "nobody", "role": "branch"})
    assert granted.status_code == 201 and granted.json()["role"] == "branch"
    listed = client.get(f"{API}/{world.branch.pk}/grants/").json()
    assert any(row["username"] == "nobody" for row in listed)
    unknown = client.post(f"{API}/{world.branch.pk}/grants/", {"username": "ghost", "role": "branch"})
    assert unknown.status_code == 400 and "username" in unknown.json()["fields"]
    grant = Grant.objects.get(user=world.users["nobody"])
    assert client_as(world.users["foreign"]).delete(f"/api/v1/grants/{grant.pk}/").status_code == 404
    assert client_as(world.users["xian"]).delete(f"/api/v1/grants/{grant.pk}/").status_code == 204
    assert not Grant.objects.filter(user=world.users["nobody"]).exists()


def test_notifications_read_through_the_api(world, client_as):
    mine = Notification.objects.create(recipient=world.users["zhibu"], kind="digest", title="本周待办")
    other = Notification.objects.create(recipient=world.users["xian"], kind="digest", title="别人的")
    client = client_as(world.users["zhibu"])
    assert [row["title"] for row in client.get("/api/v1/notifications/").json()["results"]] == ["本周待办"]
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    read = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    Notification.objects.create(recipient=world.users["zhibu"], kind="digest", title="第二条")
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    other.refresh_from_db()
    assert other.read_at is None

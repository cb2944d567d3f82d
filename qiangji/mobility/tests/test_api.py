import pytest

from qiangji.mobility import services, signing
from qiangji.mobility.models import Transfer
from qiangji.mobility.tests.factories import FLOW_VALUES, station

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mobility"


def test_transfer_api_end_to_end(world, client_as):
    st = station(world)
    client = client_as(world.users["zhibu"])
    response = client.post(
        f"{BASE}/transfers/",
        {"member": world.member.pk, "to_org": st.committee.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    receiver = client_as(st.committee_user)
    response = receiver.post(
        f"{BASE}/transfers/{pk}/accept/", {"branch": st.branch.pk}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_refusals_are_chinese_json(world, client_as):
    client = client_as(world.users["zhibu"])
    response = client.post(
        f"{BASE}/transfers/",
        {"member": world.member.pk, "to_org": world.branch2.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "接收方必须是基层党委" in response.json()["detail"]
    response = client.post(
        f"{BASE}/transfers/",
        {"member": world.foreign_member.pk, "to_org": world.county.pk},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Transfer.objects.exists()


def test_lists_pin_query_counts(world, client_as, django_assert_max_num_queries):
    st = station(world)
    for name in ("李四", "王五", "赵六"):
        member = world.branch.members.get(name=name)
        services.register_outflow(
            actor=world.users["zhibu"], member=member, values=FLOW_VALUES, in_org=st.branch
        )
        services.issue_certificate(actor=world.users["zhibu"], member=member)
    client = client_as(st.user)
    for url in ("flows/", "certificates/", "transfers/", "hours/", "anchors/"):
        with django_assert_max_num_queries(6):
            assert client.get(f"{BASE}/{url}").status_code == 200
    assert client.get(f"{BASE}/flows/").json()["count"] == 3
    assert client_as(world.users["foreign"]).get(f"{BASE}/flows/").json()["count"] == 0


def test_verify_endpoint(world, client_as):
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    client = client_as(world.users["foreign"])  # any inflow branch, anywhere
    answer = client.post(
        f"{BASE}/certificates/verify/", {"token": cert.token}, content_type="application/json"
    ).json()
    assert answer["valid"] and answer["payload"]["nm"] == "李*" and answer["payload"]["nv"] == 1
    tampered = cert.token[:-3] + ("A" if cert.token[-3] != "A" else "B") + cert.token[-2:]
    answer = client.post(
        f"{BASE}/certificates/verify/", {"token": tampered}, content_type="application/json"
    ).json()
    assert not answer["valid"] and "伪造或被改动" in answer["detail"]
    services.revoke_certificate(actor=world.users["zhibu"], cert=cert, reason="lost")
    answer = client.post(
        f"{BASE}/certificates/verify/", {"token": cert.token}, content_type="application/json"
    ).json()
    assert not answer["valid"] and answer["status"] == "revoked" and "已注销" in answer["detail"]
    assert signing.verify_token(cert.token)  # the signature itself is still genuine


def test_status_endpoint_is_public_and_says_nothing_personal(world, client):
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    body = client.get(f"{BASE}/certificates/{cert.number}/status/").json()
    assert body["status"] == "active" and "李" not in str(body)
    assert client.get(f"{BASE}/certificates/999/status/").json()["status"] == "unknown"


def test_intake_and_community_endpoints(world, client_as):
    from django.core import signing as django_signing

    from qiangji.mobility.signing import ARRIVE_SALT

    st = station(world)
    token = django_signing.dumps({"b": st.branch.pk}, salt=ARRIVE_SALT)
    member = client_as(world.users["dangyuan"])
    response = member.post(
        f"{BASE}/intake/arrive/", {"token": token, **FLOW_VALUES}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    bad = member.post(
        f"{BASE}/intake/arrive/", {"token": token + "x", **FLOW_VALUES}, content_type="application/json"
    )
    assert bad.status_code == 400 and "报到码无效" in bad.json()["detail"]
    letter = client_as(world.users["jiedao"]).post(
        f"{BASE}/intake/incoming-letters/",
        {
            "organisation": world.community.pk,
            "number": "77",
            "member_name": "周七",
            "from_org_name": "外省某党委",
            "issued_on": "2020-01-01",
        },
        content_type="application/json",
    )
    assert letter.status_code == 400 and "介绍信已超过有效期" in letter.json()["detail"]
    post = services.add_service_post(actor=world.users["jiedao"], community=world.community, title="助老")
    member = client_as(world.users["dangyuan"])  # the same test client, signed in again as the member
    report = member.post(
        f"{BASE}/reports/",
        {"community": world.community.pk, "posts": [post.pk]},
        content_type="application/json",
    )
    assert report.status_code == 201, report.json()
    hours = member.post(
        f"{BASE}/reports/{report.json()['id']}/hours/",
        {"served_on": "2026-01-02", "hours": "1.5", "description": "助老"},
        content_type="application/json",
    )
    assert hours.status_code == 201 and hours.json()["status"] == "pending"

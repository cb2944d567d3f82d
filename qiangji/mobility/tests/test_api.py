import pytest

from qiangji.mobility import services, signing
from qiangji.mobility.models import Transfer
from qiangji.mobility.tests.factories import FLOW_VALUES, station

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mobility"


def test_transfer_api_end_to_end(world, client_as):
    st = station(world)
    client = client_as(world.users["zhibu"])
    response = client.post(f"{BASE}/transfers/", {"member": world.member.pk, "to_org": st.committee.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    receiver = client_as(st.committee_user)
    response = receiver.post(f"{BASE}/transfers/{pk}/accept/", {"branch": st.branch.pk},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_refusals_are_chinese_json(world, client_as):
    client = client_as(world.users["zhibu"])
    response = client.post(f"{BASE}/transfers/", {"member": world.member.pk, "to_org": world.branch2.pk},
                           content_type="application/json")
    assert response.status_code == 400 and "接收方必须是基层党委" in response.json()["detail"]
    response = client.post(f"{BASE}/transfers/", {"member": world.foreign_member.pk, "to_org": world.county.pk},
                           content_type="application/json")
    assert response.status_code == 404 and not Transfer.objects.exists()


def test_lists_pin_query_counts(world, client_as, django_assert_max_num_queries):
    st = station(world)
    for name in ("李四", "王五", "赵六"):
        member = world.branch.members.get(name=name)
        services.register_outflow(actor=world.users["zhibu"], member=member, values=FLOW_VALUES, in_org=st.branch)
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
    answer = client.post(f"{BASE}/certificates/verify/", {"token": cert.token}, content_type="application/json").json()
    assert answer["valid"] and answer["payload"]["nm"] == "李*" and answer["payload"]["nv"] == 1
    tampered = cert.token[:-3] + ("A" if cert.token[-3] != "A" else "B") + cert.token[-2:]
    answer = client.post(f"{BASE}/certificates/verify/", {"token": tampered}, content_type="application/json").json()
    assert not answer["valid"] and "伪造或被改动" in answer["detail"]
    services.revoke_certificate(actor=world.users["zhibu"], cert=cert, reason="lost")
    answer = client.post(f"{BASE}/certificates/verify/", {"token": cert.token}, content_type="application/json").json()
    assert not answer["valid"] and answer["status"] == "revoked" and "已注销" in answer["detail"]
    assert signing.verify_token(cert.token)  # the signature itself is still genuine


def test_status_endpoint_is_public_and_says_nothing_personal(world, client):
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    body = client.get(f"{BASE}/certificates/{cert.number}/status/").json()
    assert body["status"] == "active" and "李" not in str(body)
    assert client.get(f"{BASE}/certificates/999/status/").json()["status"] == "unknown"

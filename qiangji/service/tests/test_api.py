import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qiangji.service import services
from qiangji.service.models import Request
from qiangji.service.tests.conftest import code_for

BASE = "/api/v1/service/open311"
PHONE = "13912345679"


@pytest.fixture
def api(world):
    def as_user(name=None):
        client = APIClient()
        if name:
            client.force_authenticate(world.users[name])
        return client

    return as_user


def _new(desk):
    return services.submit(
        actor=None,
        channel="web",
        category="general",
        description="井盖<松动>",
        phone=PHONE,
        code=code_for(PHONE),
        place=desk["place"].pk,
    )[0]


def test_discovery_and_services_public_json_and_xml(api, desk):
    anon = api()
    got = anon.get(f"{BASE}/discovery.json")
    assert got.status_code == 200 and got.json()["endpoints"][0]["specification"].endswith("GeoReport_v2")
    xml = anon.get(f"{BASE}/discovery.xml")
    assert xml["Content-Type"].startswith("application/xml")
    assert ET.fromstring(xml.content).tag == "discovery"
    services_json = anon.get(f"{BASE}/services.json").json()
    assert {"service_code": "emergency", "service_name": "紧急求助"}.items() <= services_json[0].items()
    root = ET.fromstring(anon.get(f"{BASE}/services.xml").content)
    assert root.tag == "services" and root.find("service/service_code").text == "emergency"
    definition = anon.get(f"{BASE}/services/emergency.json").json()
    assert definition["attributes"][0]["code"] == "address_string"
    root = ET.fromstring(anon.get(f"{BASE}/services/emergency.xml").content)
    assert (
        root.tag == "service_definition" and root.find("attributes/attribute/code").text == "address_string"
    )
    assert anon.get(f"{BASE}/services/nonexistent.json").status_code == 404
    assert anon.get(f"{BASE}/services/?format=xml").content.startswith(b"<?xml")


def test_post_request_form_encoded_then_get_by_token_json_and_xml(api, desk, world):
    client = api("zhibu")
    answer = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "general",
            "description": "路灯不亮",
            "phone": "13800001111",
            "address_id": desk["place"].pk,
        },
    )
    assert answer.status_code == 201, answer.content
    number, token = answer.json()[0]["service_request_id"], answer.json()[0]["token"]
    assert Request.objects.get(number=number).channel == "open311"
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [
        {"service_request_id": number, "token": token}
    ]
    one = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert one["status"] == "open" and one["agency_responsible"] == world.branch.name
    root = ET.fromstring(client.get(f"{BASE}/requests/{number}.xml").content)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == number
    listed = client.get(f"{BASE}/requests.json", {"status": "open", "service_code": "general"}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    xml_post = client.post(
        f"{BASE}/requests.xml",
        {
            "service_code": "general",
            "description": "又一件",
            "phone": "13800001112",
            "address_id": desk["place"].pk,
        },
    )
    assert xml_post.status_code == 201 and ET.fromstring(xml_post.content).find("request/token") is not None


def test_post_bad_input_400_names_the_field_and_saves_nothing(api, desk):
    client = api("zhibu")
    for body, field in (
        (
            {"service_code": "general", "description": "x", "phone": "123", "address_id": desk["place"].pk},
            "phone",
        ),
        ({"service_code": "nope", "description": "x", "phone": "13800001111"}, "category"),
        (
            {
                "service_code": "general",
                "description": "x",
                "phone": "13800001111",
                "lat": "91",
                "long": "117",
            },
            "lat",
        ),
        (
            {"service_code": "general", "description": "x", "phone": "13800001111", "address_id": 2**63},
            "address_id",
        ),
    ):
        got = client.post(f"{BASE}/requests.json", body)
        assert got.status_code == 400, (body, got.content)
        assert set(got.json()["fields"]) & {field, "latitude"}, got.json()
    assert not Request.objects.exists()
    xml = client.post(f"{BASE}/requests.xml", {"service_code": "general"})
    assert xml.status_code == 400 and "description" in xml.json()["fields"]  # errors: the one JSON shape


def test_post_outside_the_account_scope_refused(api, desk, world):
    got = api("foreign").post(
        f"{BASE}/requests.json",
        {
            "service_code": "general",
            "description": "x",
            "phone": "13800001111",
            "address_id": desk["place"].pk,
        },
    )
    assert got.status_code == 400 and "address_id" in got.json()["fields"]
    assert api().post(f"{BASE}/requests.json", {}).status_code in (401, 403)


def test_request_updates_since_a_time_json_and_xml(api, desk, world):
    req = _new(desk)
    since = timezone.now()
    services.whistle(actor=world.users["zhibu"], request=req, reason="需社区")
    client = api("jiedao")
    rows = client.get(f"{BASE}/servicerequestupdates.json", {"start_date": since.isoformat()}).json()
    assert [r["extended_attributes"]["kind"] for r in rows] == ["whistle"]
    assert rows[0]["service_request_id"] == req.number and rows[0]["status"] == "open"
    root = ET.fromstring(client.get(f"{BASE}/servicerequestupdates.xml").content)
    assert root.tag == "service_request_updates" and len(root.findall("request_update")) == 3
    bad = client.get(f"{BASE}/servicerequestupdates.json", {"start_date": "yesterday"})
    assert bad.status_code == 400 and "start_date" in bad.json()["fields"]
    assert api("foreign").get(f"{BASE}/servicerequestupdates.json").json() == []


def test_foreign_county_sees_nothing(api, desk):
    req = _new(desk)
    client = api("foreign")
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{req.number}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/{req.token}.json").status_code == 404
    assert client.get(f"/api/v1/service/requests/{req.pk}/").status_code == 404
    assert client.post(f"/api/v1/service/requests/{req.pk}/whistle/", {"reason": "x"}).status_code == 404
    assert Request.objects.get(pk=req.pk).tier == "compound"


def test_desk_api_ladder_and_history(api, desk, world):
    req = _new(desk)
    client = api("zhibu")
    got = client.post(f"/api/v1/service/requests/{req.pk}/whistle/", {"reason": ""}, format="json")
    assert got.status_code == 400 and "reason" in got.json()["fields"]
    assert client.post(f"/api/v1/service/requests/{req.pk}/claim/", {}, format="json").status_code == 200
    got = client.post(f"/api/v1/service/requests/{req.pk}/answer/", {"text": "已修"}, format="json")
    assert got.status_code == 200 and got.json()["phase"] == "answered"
    detail = api("xian").get(f"/api/v1/service/requests/{req.pk}/").json()
    assert [e["kind"] for e in detail["events"]][-2:] == ["claimed", "answered"]
    listed = api("jiedao").get("/api/v1/service/requests/", {"phase": "answered"}).json()
    assert listed["count"] == 1
    assert api("jiedao").get("/api/v1/service/requests/", {"phase": ""}).status_code == 400


def test_figures_api(api, desk):
    _new(desk)
    today = timezone.localdate()
    got = api("xian").get("/api/v1/service/figures/", {"start": str(today - datetime.timedelta(days=1))})
    assert got.status_code == 200 and got.json()["total"] == 1
    bad = api("xian").get("/api/v1/service/figures/", {"start": "2026-13-01"})
    assert bad.status_code == 400 and "start" in bad.json()["fields"]

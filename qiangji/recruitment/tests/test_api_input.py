"""Every id and list the recruitment API takes is checked by its serializer (issue #11 item 7): a malformed
value answers 400 {code, detail, fields} with the field named, never a 500, and nothing is saved."""

import pytest
from django.urls import reverse
from rest_framework import serializers

from qiangji.recruitment.api.serializers import FIELD_SERIALIZERS, AttendanceLineSerializer
from qiangji.recruitment.models import StepRecord
from qiangji.recruitment.tests.factories import open_case

pytestmark = pytest.mark.django_db


def _bad_values(field) -> list:
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        return [1128, ["abc"], "abc", [{"x": 1}]]
    if isinstance(field, serializers.IntegerField):
        return ["abc", [1], {"id": 1}, -1]
    return []


ID_AND_LIST_FIELDS = [
    (code, name, value)
    for code, serializer in FIELD_SERIALIZERS.items()
    for name, field in serializer().fields.items()
    for value in _bad_values(field)
]


def _answer(client, url, payload):
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400, (payload, response.status_code, response.content[:300])
    body = response.json()
    assert set(body) >= {"code", "detail", "fields"} and body["code"] == "invalid"
    return body


def test_every_id_and_list_field_of_every_step_answers_400_with_the_field_named(world, client_as):
    assert len({code for code, _name, _value in ID_AND_LIST_FIELDS}) >= 10
    case = open_case(world)
    client, url = client_as(world.users["zhibu"]), reverse("recruitment-case-steps", args=[case.pk])
    count = StepRecord.objects.count()
    for code, name, value in ID_AND_LIST_FIELDS:
        body = _answer(client, url, {"step": code, "date": "2023-01-20", "fields": {name: value}})
        assert f"fields.{name}" in body["fields"], (code, name, value, body)
        label = FIELD_SERIALIZERS[code]().fields[name].label
        assert all(message.startswith(label) for message in body["fields"][f"fields.{name}"]), body
    assert StepRecord.objects.count() == count


@pytest.mark.parametrize(
    ("code", "fields", "name"),
    [
        ("sponsors", {"members": ["abc"]}, "members"),
        ("mentors", {"members": 1128}, "members"),
        ("admission_form", {"form_range": "abc"}, "form_range"),
        ("objection", {"notice": "abc", "summary": "有人反映"}, "notice"),
        ("objection_resolution", {"objection": "abc", "resolution": "已核实"}, "objection"),
        ("branch_meeting", {"attendance": [{"member": "abc", "present": True, "vote": "for"}]}, "attendance"),
        ("branch_meeting", {"attendance": [{"member": 1, "present": "maybe"}]}, "attendance"),
        ("confirmation_meeting", {"attendance": "all", "decision": "confirmed"}, "attendance"),
        ("transfer", {"organisation": "abc"}, "organisation"),
    ],
)
def test_the_issues_reproductions(world, client_as, code, fields, name):
    case = open_case(world)
    body = _answer(
        client_as(world.users["zhibu"]),
        reverse("recruitment-case-steps", args=[case.pk]),
        {"step": code, "date": "2023-01-20", "fields": fields},
    )
    assert f"fields.{name}" in body["fields"]


def test_a_missing_required_field_names_the_field(world, client_as):
    case = open_case(world)
    body = _answer(
        client_as(world.users["zhibu"]),
        reverse("recruitment-case-steps", args=[case.pk]),
        {"step": "talk", "date": "2099-01-01"},
    )
    assert body["fields"]["fields.talker"] == ["谈话人：该字段是必填项"]
    assert body["detail"].startswith("谈话人：")
    assert case.steps.count() == 1


def test_attendance_rows_name_the_row_and_the_column():
    serializer = AttendanceLineSerializer(data=[{"member": "x", "present": True}], many=True)
    assert not serializer.is_valid()


@pytest.mark.parametrize("value", ["abc", [1], None])
def test_other_write_endpoints_check_their_ids(world, client_as, value):
    client = client_as(world.users["jiedao"])
    _answer(
        client,
        reverse("recruitment-form-range-list"),
        {"organisation": value, "first_number": 1, "last_number": 10, "received_on": "2024-01-01"},
    )
    body = _answer(
        client,
        reverse("recruitment-form-range-list"),
        {
            "organisation": world.street.pk,
            "first_number": value,
            "last_number": 10,
            "received_on": "2024-01-01",
        },
    )
    assert body["fields"]["first_number"][0].startswith("起始号：")
    _answer(client, reverse("recruitment-case-list"), {"organisation": value, "applied_on": "2024-01-01"})

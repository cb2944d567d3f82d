"""xlsx exports of the compliance table and of attendance: scoped, same period, formulas neutralised."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qiangji.life import services
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import theme_day
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


def sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


@pytest.fixture
def held(world):
    meeting = theme_day(world)
    members = list(world.branch.members.order_by("pk"))
    services.record_attendance(
        actor=world.users["zhibu"], meeting=meeting, member=members[0], status="present"
    )
    services.record_attendance(
        actor=world.users["zhibu"],
        meeting=meeting,
        member=members[1],
        status="absent",
        absence_reason='=HYPERLINK("x")',
        leave_approved=True,
    )
    return services.record_held(
        actor=world.users["zhibu"], meeting=meeting, held_on=datetime.date(2026, 3, 15)
    )


def test_compliance_export_has_every_branch_and_the_type_columns(world, client_as, held):
    from freezegun import freeze_time

    client = client_as(world.users["jiedao"])
    url = reverse("life:compliance-export", kwargs={"org_pk": world.street.pk})
    running = sheet(client.get(url, {"period": "month", "number": 3}))  # on 20 March: 进行中
    theme_col = running[0].index("主题党日（已开/应开）")
    assert {row[theme_col] for row in running[1:]} == {"—"}  # a running month fails nobody
    with freeze_time("2026-04-02 10:00:00+08:00"):  # March complete (signed in again: a new day)
        response = client_as(world.users["jiedao"]).get(url, {"period": "month", "number": 3})
    assert response["Content-Disposition"].startswith("attachment")
    rows = sheet(response)
    assert rows[0][0] == "党组织" and "主题党日（已开/应开）" in rows[0] and "出席率" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    theme_col = rows[0].index("主题党日（已开/应开）")
    assert by_name[world.branch.name][theme_col] == "1/1" and by_name[world.branch2.name][theme_col] == "0/1"
    assert by_name[world.branch.name][rows[0].index("出席率")] == "25.0%"


def test_attendance_export_rows_and_formula_neutralising(world, client_as, held):
    response = client_as(world.users["jiedao"]).get(
        reverse("life:attendance-export", kwargs={"org_pk": world.street.pk}),
        {"period": "month", "number": 3},
    )
    rows = sheet(response)
    assert rows[0][:5] == ["召开日期", "党支部", "会议", "会议类型", "党员"]
    assert len(rows) == 1 + 4  # two recorded by hand, two marked absent when recorded as held
    reasons = [row[8] for row in rows[1:]]
    assert '\'=HYPERLINK("x")' in reasons
    assert any(row[6] == "出席" for row in rows[1:]) and any(row[7] == "是" for row in rows[1:])


def test_exports_stay_in_scope(world, client_as, held):
    foreign = add_member(world.foreign_branch, "外县党员二")
    assert foreign
    response = client_as(world.users["zhibu"]).get(
        reverse("life:attendance-export", kwargs={"org_pk": world.branch.pk}), {"period": "year"}
    )
    text = str(sheet(response))
    assert "外县" not in text and "李四" in text
    for role in ("foreign", "dangyuan", "nobody"):
        url = reverse("life:compliance-export", kwargs={"org_pk": world.street.pk})
        assert client_as(world.users[role]).get(url).status_code == 404

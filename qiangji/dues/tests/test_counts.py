"""The month page's headline counts the whole scope (issue #12 item 1): "N 名党员，未交 M 人" with M ≤ N,
also when the table is cut at MAX_ROWS (it counted the MAX_ROWS + 1 rows fetched against MAX_ROWS shown)."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from qiangji.dues import selectors
from qiangji.dues.tests.helpers import give_base, month, pay
from qiangji.dues.views import member as member_views
from qiangji.members.models import Member
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def six(world):
    with freeze_time("2026-06-15 10:00:00"):
        members = [world.member] + [add_member(world.branch, f"党员{n}") for n in range(5)]
        for member in members:
            give_base(world, member=member)
        pay(world, [month(2026, 6)], "40.00", member=members[0])
        yield members


def test_counts_are_over_the_scope_and_unpaid_never_exceeds_members(world, six, client_as, monkeypatch):
    monkeypatch.setattr(member_views, "MAX_ROWS", 2)
    paying = Member.objects.filter(org_path__startswith=world.branch.path)
    counts = selectors.month_counts(paying, month(2026, 6))
    expected_members = selectors.month_table(paying, month(2026, 6)).count()
    assert counts["members"] == expected_members == 9  # the world's four and five more
    assert counts["unpaid"] == 5  # six with an amount due, one paid; the world's three have no base
    with freeze_time("2026-06-15 10:00:00"):
        body = (
            client_as(world.users["zhibu"]).get(reverse("dues:month"), {"month": "2026-06"}).content.decode()
        )
    assert "9 名党员，" in body and "未交 5 人" in body
    assert "仅显示前500名" in body  # the table is cut, the headline is not


def test_a_member_without_an_amount_is_not_unpaid(world, six):
    add_member(world.branch, "无基数")  # no base recorded: nothing due, so not counted as unpaid
    paying = Member.objects.filter(org_path__startswith=world.branch.path)
    counts = selectors.month_counts(paying, month(2026, 6))
    assert counts["members"] == 10 and counts["unpaid"] == 5


def test_arrears_xlsx_writes_money_as_numbers(world, six, client_as):
    import io

    from openpyxl import load_workbook

    with freeze_time("2026-07-15 10:00:00"):
        response = client_as(world.users["zhibu"]).get(
            reverse("dues:arrears-export"), {"fmt": "xlsx", "month": "2026-06"}
        )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert rows
    amounts = [row[2] for row in rows]  # 每月应交（元）
    assert all(cell.data_type == "n" and cell.value == 40 for cell in amounts)
    assert all(cell.number_format == "#,##0.00" for cell in amounts)
    assert all(row[6].data_type == "n" for row in rows)  # 欠交月数


def test_decimal_cells_are_numeric_in_every_export(tmp_path):
    from decimal import Decimal

    from openpyxl import load_workbook

    from qiangji.core import exporting

    handle = exporting.write_xlsx(["金额", "文字"], [[Decimal("12.50"), "=1+1"]])
    sheet = load_workbook(handle).active
    assert sheet["A2"].value == 12.5 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == "'=1+1"  # text is still neutralised

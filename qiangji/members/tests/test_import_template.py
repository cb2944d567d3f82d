"""The import template formats the code columns as text (issue #12 item 12): an 18-digit ID typed into
the template stays the ID (as a number Excel keeps 15 digits), a phone keeps its leading 0."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qiangji.members.roster.exporting import HEADERS, TEMPLATE_ROWS

pytestmark = pytest.mark.django_db


def template(client):
    response = client.get(reverse("imports:template-xlsx"))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_id_phone_and_month_columns_are_text(world, client_as):
    sheet = template(client_as(world.users["xian"])).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    for header in ("公民身份证号", "联系电话", "失去联系日期"):
        column = HEADERS.index(header) + 1
        assert sheet.cell(row=2, column=column).number_format == "@", header
        assert sheet.cell(row=TEMPLATE_ROWS + 1, column=column).number_format == "@", header
    assert sheet.cell(row=2, column=HEADERS.index("姓名") + 1).number_format == "General"


def test_an_id_typed_in_the_template_reads_back_as_the_same_text(world, client_as, tmp_path):
    from qiangji.members.roster import reading

    workbook = template(client_as(world.users["xian"]))
    sheet = workbook.active
    sheet.cell(row=2, column=HEADERS.index("姓名") + 1).value = "陈一"
    sheet.cell(row=2, column=HEADERS.index("公民身份证号") + 1).value = "11010519491231002X"
    sheet.cell(row=2, column=HEADERS.index("联系电话") + 1).value = "01012345678"
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    table = reading.open_table(path, max_bytes=10 * 1048576)
    rows = [cells for _number, cells in table.rows if any(str(c or "").strip() for c in cells)]
    assert len(rows) == 1 and table.total <= 2  # the pre-formatted empty rows are not rows to import
    assert rows[0][table.columns["id_number"]] == "11010519491231002X"
    assert rows[0][table.columns["phone"]] == "01012345678"

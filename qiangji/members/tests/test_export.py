"""Member export: scoped, filtered like the list, masked, formula-safe, and re-importable headers."""

import csv
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qiangji.core.exporting import csv_chunks, neutralise
from qiangji.members.roster.exporting import HEADERS
from qiangji.testing import add_member


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response, tmp_path) -> list[list]:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+86", "'+86"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("", ""),
        (5, 5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_chunks_have_bom_and_neutralised_cells():
    text = b"".join(csv_chunks(["a", "b"], [["=cmd|' /C calc'!A0", 1]])).decode("utf-8")
    assert text == "\ufeffa,b\r\n'=cmd|' /C calc'!A0,1\r\n"


def test_csv_export_is_scoped_and_masked(world, client_as):
    response = client_as(world.users["zhibu"]).get(reverse("imports:members-export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == HEADERS
    names = {row[0] for row in rows[1:]}
    assert names == {"李四", "王五", "赵六", "单雄信"}
    li = next(row for row in rows if row[0] == "李四")
    full_id = world.member.id_number
    assert full_id not in "".join(li) and li[3].endswith(full_id[-4:]) and li[3].startswith("*")
    assert "13800138000" not in "".join(li) and li[11].endswith("8000")


def test_export_uses_the_member_filter(world, client_as):
    add_member(world.branch2, "钱七", status="probationary")
    client = client_as(world.users["jiedao"])
    rows = csv_rows(client.get(reverse("imports:members-export"), {"format": "csv", "org": world.branch2.pk}))
    assert [row[0] for row in rows[1:]] == ["钱七"]
    rows = csv_rows(
        client.get(reverse("imports:members-export"), {"format": "csv", "category": "probationary"})
    )
    assert [row[0] for row in rows[1:]] == ["钱七"]


def test_foreign_org_filter_exports_nothing(world, client_as):
    rows = csv_rows(
        client_as(world.users["zhibu"]).get(
            reverse("imports:members-export"), {"format": "csv", "org": world.foreign_branch.pk}
        )
    )
    assert rows == [HEADERS]


@pytest.mark.parametrize("role, count", [("foreign", 1), ("dangyuan", 1), ("nobody", 0), ("sheng", 5)])
def test_every_role_exports_only_its_scope(world, client_as, role, count):
    rows = csv_rows(client_as(world.users[role]).get(reverse("imports:members-export"), {"format": "csv"}))
    assert len(rows) - 1 == count


def test_xlsx_export_neutralises_formulas(world, client_as, tmp_path):
    add_member(world.branch, '=HYPERLINK("http://evil")', address="+1 2")
    response = client_as(world.users["zhibu"]).get(reverse("imports:members-export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxml")
    rows = xlsx_rows(response, tmp_path)
    assert rows[0] == HEADERS
    evil = next(row for row in rows if "HYPERLINK" in str(row[0]))
    assert evil[0].startswith("'=") and evil[12] == "'+1 2"


def test_anonymous_export_redirects(client):
    assert client.get(reverse("imports:members-export")).status_code == 302


def test_export_query_count_does_not_grow(world, client_as, django_assert_max_num_queries):
    for index in range(20):
        add_member(world.branch, f"成员{index}")
    client = client_as(world.users["zhibu"])
    # 8 reads, the export's own audit entry (count, filter, reason: docs/security.md) and, on a session's first
    # request, its sign-in time and last-seen writes (core.security) — constant, not per row
    with django_assert_max_num_queries(13):
        rows = csv_rows(client.get(reverse("imports:members-export"), {"format": "csv"}))
    assert len(rows) == 25

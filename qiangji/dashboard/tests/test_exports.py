"""Every dashboard table as xlsx (and csv): the files open with openpyxl and hold the screen's figures."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qiangji.dashboard.tests.test_views import built  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[list]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def url(name, org, **kwargs) -> str:
    return reverse(f"dashboard:{name}", kwargs={"pk": org.pk, **kwargs})


def test_children_table_has_every_child_and_its_figures(world, built, client_as):  # noqa: F811
    from qiangji.dashboard import selectors
    from qiangji.dashboard.figures import chart_value, indicators

    response = client_as(world.users["xian"]).get(url("children-export", world.community))
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"].lower()
    rows = sheet_rows(response)
    labels = [i.label for i in indicators()]
    assert rows[0][0] == "党组织" and rows[0][-1] == "异常合计"
    assert [h.split("（")[0] for h in rows[0][1:-1]] == labels
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {world.branch.name, world.branch2.name}
    for child in selectors.children(world.community):
        row = by_name[child["name"]]
        for index, indicator in enumerate(indicators(), start=1):
            figure = child["figures"].get(indicator.code)
            value = figure.get("value") if isinstance(figure, dict) else figure
            expected = chart_value(value, indicator)
            assert row[index] == (pytest.approx(expected) if expected is not None else None), indicator.code


def test_trend_table_has_a_row_a_month_and_the_chart_values(world, built, client_as):  # noqa: F811
    from qiangji.dashboard import selectors
    from qiangji.dashboard.figures import indicators

    rows = sheet_rows(client_as(world.users["xian"]).get(url("trend-export", world.county)))
    assert rows[0][0] == "月份" and len(rows[0]) == 1 + len(indicators()) and len(rows) == 1 + 24
    last = selectors.trend(world.county, months=1)[0]
    members = [i.code for i in indicators()].index("members") + 1
    assert rows[-1][0] == str(last["month"])[:7] and rows[-1][members] == last["figures"]["members"] == 6


def test_worst_table_lists_each_indicator_with_ranks(world, built, client_as):  # noqa: F811
    from qiangji.dashboard.figures import indicators

    rows = sheet_rows(client_as(world.users["xian"]).get(url("worst-export", world.community) + "?n=10"))
    assert rows[0] == ["指标", "排序", "名次", "党组织", "数值", "显示"]
    assert {row[0] for row in rows[1:]} <= {i.label for i in indicators()}
    assert {row[3] for row in rows[1:]} <= {world.branch.name, world.branch2.name}
    assert all(row[2] in (1, 2) for row in rows[1:])


def test_exception_list_export_is_the_whole_list_of_the_subtree(world, built, client_as):  # noqa: F811
    client = client_as(world.users["xian"])
    rows = sheet_rows(client.get(url("exceptions-export", world.county, kind="dues_arrears_6m")))
    assert rows[0] == ["党组织", "党员", "情况", "最早未交月份", "欠交月数", "依据"]
    assert [row[1] for row in rows[1:]] == ["李四"] and rows[1][0] == world.branch.name
    overdue = sheet_rows(client.get(url("exceptions-export", world.county, kind="dev_overdue")))
    assert {"王小明", "赵小红"} <= {row[1] for row in overdue[1:]}
    assert all("外县" not in str(row[1]) for row in overdue[1:])


def test_csv_on_request_and_a_bad_format_is_a_404(world, built, client_as):  # noqa: F811
    client = client_as(world.users["xian"])
    response = client.get(url("exceptions-export", world.county, kind="term_overdue") + "?fmt=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "城关街道党工委" in text
    assert client.get(url("children-export", world.county) + "?fmt=pdf").status_code == 404


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("children-export", {}),
        ("worst-export", {}),
        ("trend-export", {}),
        ("exceptions-export", {"kind": "term_overdue"}),
    ],
)
def test_exports_of_a_foreign_node_are_404(world, client_as, name, kwargs):
    response = client_as(world.users["xian"]).get(url(name, world.foreign_county, **kwargs))
    assert response.status_code == 404

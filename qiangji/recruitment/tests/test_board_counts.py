"""The board's per-stage totals are counted over the whole scope (issue #12 item 1): never the cards shown,
never a sample; the cards page per stage; the county's total equals the dashboard's dev_pipeline figure."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core import dates
from qiangji.dashboard import selectors as dashboard
from qiangji.dashboard.rollups import engine
from qiangji.recruitment.selectors import cases as selectors
from qiangji.recruitment.tests.ui_factories import make_case

TODAY = dates.today()


@pytest.fixture
def many(world, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_PAGE", 3)
    for index in range(7):  # more than two pages of stage 1 in the branch
        make_case(
            world.branch, name=f"申请人甲{index}", applied_on=TODAY - datetime.timedelta(days=10 + index)
        )
    for index in range(4):  # stage 2 (积极分子)
        make_case(
            world.branch,
            step=4,
            name=f"积极分子乙{index}",
            applied_on=TODAY - datetime.timedelta(days=200),
            talked_on=TODAY - datetime.timedelta(days=190),
            activist_on=TODAY - datetime.timedelta(days=100),
        )
    make_case(world.foreign_branch, name="外县申请人")


def column(columns, stage):
    return next(c for c in columns if int(c["stage"]) == stage)


def test_stage_totals_count_every_case_not_the_cards(world, many):
    columns = selectors.board(world.users["zhibu"], None, TODAY)
    assert column(columns, 1)["total"] == 7 and len(column(columns, 1)["cards"]) == 3
    assert column(columns, 2)["total"] == 4 and len(column(columns, 2)["cards"]) == 3
    assert selectors.board_total(columns) == 11  # the foreign county's case is not counted


def test_a_column_pages_and_the_last_page_holds_the_rest(world, many):
    columns = selectors.board(world.users["zhibu"], None, TODAY, stage=1, page=3)
    first = column(columns, 1)
    assert first["page"] == 3 and first["pages"] == 3 and len(first["cards"]) == 1
    assert first["previous_page"] == 2 and first["next_page"] is None
    assert column(columns, 2)["page"] == 1  # the other columns stay on their first page
    beyond = column(selectors.board(world.users["zhibu"], None, TODAY, stage=1, page=99), 1)
    assert beyond["page"] == 3  # clamped, not an empty page


def test_board_page_says_the_true_total_and_links_the_next_page(world, many, client_as):
    client = client_as(world.users["zhibu"])
    text = client.get(reverse("recruitment:board")).content.decode()
    assert "共 11 人在培养中" in text
    assert 'data-stage-total="1">7<' in text
    assert "stage=1&amp;page=2" in text
    text = client.get(reverse("recruitment:board") + "?stage=1&page=x").content.decode()
    assert "共 11 人在培养中" in text  # a malformed page is the first page, not an error


def test_county_board_total_equals_the_dashboard(world, many, client_as):
    engine.rebuild(today=TODAY)
    figure = dashboard.node_summary(world.county, today=TODAY)["figures"]["dev_pipeline"]["value"]
    columns = selectors.board(world.users["xian"], world.county.path, TODAY)
    assert figure == selectors.board_total(columns) == 11

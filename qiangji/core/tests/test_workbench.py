"""core.workbench: the home page shows what the apps register, in order; the kernel names no app."""

import pytest
from django.urls import reverse

from qiangji.core import workbench
from qiangji.orgs import selectors as org_selectors


@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(workbench, "_PANELS", {})
    monkeypatch.setattr(workbench, "_TODOS", {})


def test_panels_and_todos_run_in_order(scratch_registry):
    calls = []
    workbench.register("b", lambda user: calls.append("b") or {"shared": "b", "b": 1}, order=20)
    workbench.register("a", lambda user: calls.append("a") or {"shared": "a", "a": 1}, order=10)
    workbench.register_todos("late", lambda user: [{"text": "late"}], order=50)
    workbench.register_todos("early", lambda user: [{"text": "early"}], order=5)
    context = workbench.context_for(user=None)
    assert calls == ["a", "b"]
    assert context["shared"] == "b" and context["a"] == context["b"] == 1  # a later panel's key wins
    assert [todo["text"] for todo in context["alerts"]] == ["early", "late"]
    assert context["panels"] == ["a", "b"]


def test_registering_a_name_again_replaces_it(scratch_registry):
    workbench.register("x", lambda user: {"value": 1})
    workbench.register("x", lambda user: {"value": 2})
    assert [panel.name for panel in workbench.panels()] == ["x"]
    assert workbench.context_for(user=None)["value"] == 2
    workbench.unregister("x")
    context = workbench.context_for(user=None)
    assert context["alerts"] == [] and context["panels"] == [] and context["todo_total"] == 0


def test_orgs_registers_its_counts_and_alerts():
    assert "orgs.counts" in [panel.name for panel in workbench.panels()]
    assert "orgs.alerts" in [provider.name for provider in workbench.todo_providers()]


@pytest.mark.django_db
def test_the_home_page_shows_the_orgs_panel(world, client_as):
    user = world.users["xian"]
    response = client_as(user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"] == org_selectors.subtree_counts(user)
    assert [a["text"] for a in response.context["alerts"] if a["module"] == "orgs"] == [
        a["text"] for a in org_selectors.alerts_for(user, limit=200)
    ]


def test_lines_are_normalised_sorted_by_level_and_zero_counts_dropped(scratch_registry):
    workbench.register_todos("life.a", lambda user: [{"text": "info line", "level": "info", "url": "/a/"}])
    workbench.register_todos(
        "dues.b",
        lambda user: [
            workbench.todo("danger", "urgent", "/b/", count=3),
            workbench.todo("warning", "nothing", "/c/", count=0),
        ],
        order=200,
    )
    lines = workbench.todos_for(None)
    assert [line["text"] for line in lines] == ["urgent", "info line"]  # danger first, the 0 dropped
    assert lines[0]["count"] == 3 and lines[0]["module"] == "dues" and lines[0]["module_label"] == "党费"
    assert lines[1]["count"] == 1 and lines[1]["module"] == "life" and lines[1]["key"]
    with pytest.raises(ValueError):
        workbench.todo("urgent", "x", "/")


def test_the_home_page_shows_ten_lines_and_links_all(scratch_registry, world, client_as):
    lines = [workbench.todo("warning", f"第{n}件事", f"/x/{n}/") for n in range(25)]
    workbench.register_todos("orgs.many", lambda user: lines)
    client = client_as(world.users["xian"])
    text = client.get(reverse("home")).content.decode()
    assert "第9件事" in text and "第10件事" not in text
    assert "查看全部 25 条" in text and reverse("todos") in text
    every = client.get(reverse("todos")).content.decode()
    assert all(f"第{n}件事<" in every for n in range(25))  # not cut at 20

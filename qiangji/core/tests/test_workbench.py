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
    assert workbench.context_for(user=None) == {"alerts": [], "panels": []}


def test_orgs_registers_its_counts_and_alerts():
    assert "orgs.counts" in [panel.name for panel in workbench.panels()]
    assert "orgs.alerts" in [provider.name for provider in workbench.todo_providers()]


@pytest.mark.django_db
def test_the_home_page_shows_the_orgs_panel(world, client_as):
    user = world.users["xian"]
    response = client_as(user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"] == org_selectors.subtree_counts(user)
    assert response.context["alerts"] == org_selectors.alerts_for(user)

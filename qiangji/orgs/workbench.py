"""The organisations' part of the home page (core.workbench): counts over the user's subtree, and the term
and structure alerts as to-dos.  Registered from `OrgsConfig.ready()`."""

from django.urls import reverse

from qiangji.core import workbench
from qiangji.orgs import selectors


def counts_panel(user) -> dict:
    return {"counts": selectors.subtree_counts(user)}


ALL_LIMIT = 200  # the "all to-dos" page lists this many; beyond, one line says so (the tree has them all)


def term_and_structure_todos(user) -> list[dict]:
    """Every term-due/overdue and structure alert (not the first 20: the home page shows the first lines,
    "查看全部" the rest), each a to-do of count 1 linked to its organisation."""
    alerts = selectors.alerts_for(user, limit=ALL_LIMIT)
    lines = [{**alert, "count": 1, "module": "orgs"} for alert in alerts]
    if len(alerts) >= ALL_LIMIT:
        lines.append(
            {
                "level": "info",
                "text": f"仅列出前 {ALL_LIMIT} 条换届和组织设置提醒，请在组织架构中逐级查看",
                "url": reverse("orgs:tree"),
                "count": 1,
                "module": "orgs",
            }
        )
    return lines


def register() -> None:
    workbench.register("orgs.counts", counts_panel, order=10)
    workbench.register_todos("orgs.alerts", term_and_structure_todos, order=10)

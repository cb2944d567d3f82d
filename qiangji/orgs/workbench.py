"""The organisations' part of the home page (core.workbench): counts over the user's subtree, and the term
and structure alerts as to-dos.  Registered from `OrgsConfig.ready()`."""

from qiangji.core import workbench
from qiangji.orgs import selectors


def counts_panel(user) -> dict:
    return {"counts": selectors.subtree_counts(user)}


def term_and_structure_todos(user) -> list[dict]:
    return selectors.alerts_for(user)


def register() -> None:
    workbench.register("orgs.counts", counts_panel, order=10)
    workbench.register_todos("orgs.alerts", term_and_structure_todos, order=10)

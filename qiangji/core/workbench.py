"""The home page's panels and to-dos (工作台): each app registers what it shows there, the kernel imports none
of them.

An app calls, from its `AppConfig.ready()` (in practice from its own `<app>/workbench.py`):

* `register(name, fn, order=100)` — a panel: `fn(user)` returns a dict merged into the home page's
  context (e.g. orgs' `{"counts": …}`);
* `register_todos(name, fn, order=100)` — a to-do provider: `fn(user)` returns a list of to-dos, each a
  dict `{"level", "text", "url", "count", "module"}` (build one with `todo(...)`):

  - `level`: "danger" (overdue, refused if left), "warning" (due soon, to do now) or "info";
  - `text`: what to do, in words, with the number in it ("3 名发展对象的政治审查已逾期");
  - `url`: the page that lists exactly those things (the count equals that list);
  - `count`: how many things the line stands for, counted in SQL (default 1);
  - `module`: the app it comes from (default: the provider name's first part, "life.meetings" → "life");
  - `key` (optional): a stable identifier of the line for notifications (default: module, url and text).

  Other keys (e.g. orgs' `org`) are kept.

Both run in `order` (then name) on every request of the home page.  Registering a name again replaces it
(`ready()` may run more than once in tests).  The same registry feeds the "all to-dos" page
(`todos_for`), the in-app notifications of new items and the daily digest (`core.notifications`).
"""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "HOME_LIMIT",
    "LEVELS",
    "Panel",
    "context_for",
    "panels",
    "register",
    "register_todos",
    "todo",
    "todo_providers",
    "todos_for",
    "unregister",
]

LEVELS = ("danger", "warning", "info")
HOME_LIMIT = 10  # lines on the home page; the rest behind "查看全部"

MODULE_LABELS = {
    "orgs": "组织",
    "members": "党员",
    "life": "组织生活",
    "recruitment": "发展党员",
    "mobility": "流动与转接",
    "dues": "党费",
    "service": "接诉即办",
    "education": "教育培训",
    "governance": "治理",
    "assessment": "考核",
}


@dataclass(frozen=True)
class Panel:
    name: str
    fn: Callable
    order: int = 100


_PANELS: dict[str, Panel] = {}
_TODOS: dict[str, Panel] = {}


def register(name: str, fn: Callable, *, order: int = 100) -> None:
    """A home-page panel: `fn(user)` → dict merged into the page's context."""
    _PANELS[name] = Panel(name, fn, order)


def register_todos(name: str, fn: Callable, *, order: int = 100) -> None:
    """A to-do provider: `fn(user)` → list of to-dos, joined into the page's `alerts`."""
    _TODOS[name] = Panel(name, fn, order)


def unregister(name: str) -> None:
    _PANELS.pop(name, None)
    _TODOS.pop(name, None)


def _ordered(registry: dict[str, Panel]) -> list[Panel]:
    return sorted(registry.values(), key=lambda panel: (panel.order, panel.name))


def panels() -> list[Panel]:
    return _ordered(_PANELS)


def todo_providers() -> list[Panel]:
    return _ordered(_TODOS)


def todo(level: str, text: str, url: str, *, count: int = 1, module: str = "", key: str = "") -> dict:
    """One to-do line (see the module docstring)."""
    if level not in LEVELS:
        raise ValueError(f"unknown to-do level {level!r}")
    return {"level": level, "text": str(text), "url": url, "count": int(count), "module": module, "key": key}


def _normalised(provider: Panel, item: dict) -> dict:
    line = dict(item)
    line.setdefault("level", "info")
    if line["level"] not in LEVELS:
        line["level"] = "info"
    line["text"] = str(line.get("text", ""))
    line.setdefault("url", "")
    line["count"] = 1 if line.get("count") is None else int(line["count"])
    line["module"] = line.get("module") or provider.name.split(".")[0]
    line["module_label"] = MODULE_LABELS.get(line["module"], line["module"])
    line["key"] = line.get("key") or f"{line['module']}|{line['url']}|{line['text']}"
    line["provider"] = provider.name
    return line


def todos_for(user) -> list[dict]:
    """Every provider's to-dos for `user`, normalised, most urgent level first (then provider order).
    A line with a count of 0 is dropped (nothing to do)."""
    lines: list[dict] = []
    for provider in todo_providers():
        for item in provider.fn(user) or []:
            line = _normalised(provider, item)
            if line["count"] > 0:
                lines.append(line)
    rank = {level: index for index, level in enumerate(LEVELS)}
    return sorted(lines, key=lambda line: rank[line["level"]])  # stable: provider order within a level


def by_module(lines: list[dict]) -> list[dict]:
    """The lines grouped by module in first-seen order: [{"module", "label", "lines", "count"}]."""
    groups: dict[str, dict] = {}
    for line in lines:
        group = groups.setdefault(
            line["module"], {"module": line["module"], "label": line["module_label"], "lines": [], "count": 0}
        )
        group["lines"].append(line)
        group["count"] += line["count"]
    return list(groups.values())


def context_for(user) -> dict:
    """Every panel's context for `user` in order (a later panel's key wins), plus `alerts`: every
    provider's to-dos (all of them, most urgent first), `todos_shown`: the first HOME_LIMIT of them,
    `todo_total`: the things they stand for (sum of counts), and `panels`: the names shown."""
    context: dict = {}
    for panel in panels():
        context.update(panel.fn(user) or {})
    alerts = todos_for(user)
    context["alerts"] = alerts
    context["todos_shown"] = alerts[:HOME_LIMIT]
    context["todos_more"] = max(0, len(alerts) - HOME_LIMIT)
    context["todo_total"] = sum(line["count"] for line in alerts)
    context["panels"] = [panel.name for panel in panels()]
    return context

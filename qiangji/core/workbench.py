"""The home page's panels (工作台): each app registers what it shows there, the kernel imports none of them.

An app calls, from its `AppConfig.ready()`:

* `register(name, fn, order=100)` — a panel: `fn(user)` returns a dict merged into the home page's
  context (e.g. orgs' `{"counts": …}`);
* `register_todos(name, fn, order=100)` — a to-do provider: `fn(user)` returns a list of to-dos
  (`{"level", "text", "url"}`); the lists are joined in order into the page's `alerts`.

Both run in `order` (then name) on every request of the home page.  Registering a name again replaces it
(`ready()` may run more than once in tests).
"""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Panel", "context_for", "panels", "register", "register_todos", "todo_providers", "unregister"]


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


def context_for(user) -> dict:
    """Every panel's context for `user` in order (a later panel's key wins), plus `alerts`: every
    provider's to-dos in order, and `panels`: the names shown."""
    context: dict = {}
    for panel in panels():
        context.update(panel.fn(user) or {})
    alerts: list = []
    for provider in todo_providers():
        alerts.extend(provider.fn(user) or [])
    context["alerts"] = alerts
    context["panels"] = [panel.name for panel in panels()]
    return context

"""What every dashboard page shares: the node through the user's scope, breadcrumbs, the screen's data.

The screen reads only the rollup selectors (`dashboard.selectors`): no aggregation over base tables
happens in a view.  The exception lists (views/lists.py) are the one place that reads base tables.
"""

from django.http import Http404
from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.orgs.models import Organisation

NOT_FOUND = "未找到该党组织，或不在您的管理范围内"
NO_NODE = "您的账号没有管理的党组织，一屏掌控只对党组织和组织部门开放"
WORST_CHOICES = (5, 10, 20)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def today():
    return timezone.localdate()


def own_roots(user) -> list[Organisation]:
    """The nodes the user is bound to with a staff grant (nested ones folded away); superuser: the roots."""
    scope = scope_of(user)
    if scope.is_superuser:
        return list(Organisation.objects.filter(depth=1).order_by("path"))
    paths = scope.paths_for(Action.VIEW)
    return list(Organisation.objects.filter(path__in=paths).order_by("path")) if paths else []


def dashboard_org(user, pk) -> Organisation:
    """The node through the user's scope; a member's own-branch view does not open the dashboard (404)."""
    org = Organisation.objects.visible_to(user, Action.VIEW).filter(pk=pk).first()
    if org is None or not scope_of(user).allows(Action.VIEW, org.path):
        raise Http404(NOT_FOUND)
    return org


def breadcrumbs(user, org) -> list[Organisation]:
    """Ancestors down from the user's own node (never above it), then the node itself."""
    scope = scope_of(user)
    prefixes = [org.path[:end] for end in range(org.steplen, len(org.path), org.steplen)]
    if not scope.is_superuser:
        roots = scope.paths_for(Action.VIEW)
        prefixes = [p for p in prefixes if any(p.startswith(root) for root in roots)]
    return list(Organisation.objects.filter(path__in=prefixes).order_by("depth")) + [org]


def worst_n(request) -> int:
    value = request.GET.get("n", "")
    return int(value) if value.isdigit() and int(value) in WORST_CHOICES else WORST_CHOICES[0]

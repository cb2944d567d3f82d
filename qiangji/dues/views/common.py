"""Helpers shared by the dues pages: the organisation and month a page is about, scope checks."""

import datetime

from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.dues import months
from qiangji.dues.services import today
from qiangji.orgs.models import Organisation


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_staff(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.VIEW))


def root_org(request, action: str = Action.VIEW) -> Organisation:
    """`?org=` if inside the reader's scope (404 otherwise), else the top of their scope."""
    visible = Organisation.objects.visible_to(request.user, action)
    wanted = request.GET.get("org", "")
    if wanted:
        found = visible.filter(pk=wanted).first() if wanted.isdigit() else None
        if found is None:
            raise Http404("未找到该党组织，或不在您的管理范围内")
        return found
    paths = scope_of(request.user).paths_for(action)
    found = visible.filter(path__in=paths).first() if paths else visible.filter(depth=1).first()
    if found is None:
        raise Http404("您的账号没有管理的党组织")
    return found


def month_param(request, name: str = "month", default: datetime.date | None = None) -> datetime.date:
    """`?month=2026-05`, default this month; a bad value falls back to the default."""
    return months.parse(request.GET.get(name, "")) or default or months.first_of(today())


def may(user, action: str, path: str) -> bool:
    return scope_of(user).allows(action, path)

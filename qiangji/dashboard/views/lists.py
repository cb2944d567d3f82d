"""The records behind an exception count: one page of 50, each row linking to its module's page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View

from qiangji.core.dates import today
from qiangji.dashboard import exceptions
from qiangji.dashboard.selectors import breadcrumbs, dashboard_org

UNKNOWN_KIND = "没有这一类异常"


def kind_or_404(code: str) -> exceptions.ExceptionKind:
    kind = exceptions.KINDS.get(code)
    if kind is None:
        raise Http404(UNKNOWN_KIND)
    return kind


def page_number(request) -> int:
    value = request.GET.get("page", "")
    return max(int(value), 1) if value.isdigit() else 1


class ExceptionListView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        org = dashboard_org(request.user, pk)
        kind = kind_or_404(kind)
        day = today()
        size = exceptions.PAGE_SIZE
        wanted = page_number(request)
        total, rows = exceptions.page(
            kind.code, request.user, org, day, limit=size, offset=(wanted - 1) * size
        )
        page = Paginator(range(total), size).get_page(wanted)
        if page.number != wanted and total:  # past the end: the last page instead
            total, rows = exceptions.page(
                kind.code, request.user, org, day, limit=size, offset=(page.number - 1) * size
            )
        return render(
            request,
            "dashboard/exceptions.html",
            {
                "org": org,
                "kind": kind,
                "rows": rows,
                "total": total,
                "page": page,
                "day": day,
                "crumbs": breadcrumbs(request.user, org),
                "kinds": exceptions.KINDS.values(),
            },
        )

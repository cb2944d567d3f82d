"""Files of the dashboard: each table as xlsx (children, worst N, an exception list) and the PDF summary."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View

from qiangji.core import exporting
from qiangji.core.dates import today
from qiangji.dashboard import exports, pdf
from qiangji.dashboard.selectors import breadcrumbs, dashboard_org
from qiangji.dashboard.views.base import worst_n
from qiangji.dashboard.views.lists import kind_or_404


def _fmt(request) -> str:
    fmt = request.GET.get("fmt", "xlsx")
    if fmt not in exporting.FORMATS:
        raise Http404("不支持的导出格式")
    return fmt


def _stamp() -> str:
    return f"{today():%Y%m%d}"


class ChildrenExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        org = dashboard_org(request.user, pk)
        headers, rows = exports.children_table(org)
        return exporting.export_response(
            headers, rows, fmt=_fmt(request), filename=f"下级党组织-{org.name}-{_stamp()}"
        )


class TrendExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        org = dashboard_org(request.user, pk)
        headers, rows = exports.trend_table(org)
        return exporting.export_response(
            headers, rows, fmt=_fmt(request), filename=f"按月趋势-{org.name}-{_stamp()}"
        )


class WorstExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        org = dashboard_org(request.user, pk)
        n = worst_n(request)
        headers, rows = exports.worst_table(org, n)
        return exporting.export_response(
            headers, rows, fmt=_fmt(request), filename=f"后{n}名-{org.name}-{_stamp()}"
        )


class ExceptionExportView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        org = dashboard_org(request.user, pk)
        kind = kind_or_404(kind)
        headers, rows = exports.exception_table(kind.code, request.user, org, today())
        return exporting.export_response(
            headers, rows, fmt=_fmt(request), filename=f"{kind.label}-{org.name}-{_stamp()}"
        )


class SummaryPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        org = dashboard_org(request.user, pk)
        return pdf.summary_pdf(org, breadcrumbs(request.user, org), request=request)

"""The due list page (issue item 8): overdue and soon-due steps over a subtree, and its xlsx export."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.views.generic import TemplateView, View

from qiangji.core import exporting
from qiangji.core.dates import today as today_
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.scoping import NOT_FOUND
from qiangji.core.views import org_from_request
from qiangji.recruitment.forms.base import horizon
from qiangji.recruitment.selectors import due
from qiangji.recruitment.views.base import org_picker

PREVIEW_ROWS = 10
PAGE_ROWS = 50
EXPORT_HEADERS = [
    "步骤",
    "规则",
    "姓名",
    "所在党支部",
    "起算日期",
    "最迟办理日期（含当日）",
    "状态",
    "剩余天数",
    "说明",
]


def _context(request):
    org = org_from_request(request)
    return org, (org.path if org else None), horizon(request), today_()


class DueListView(ManagerRequiredMixin, LoginRequiredMixin, TemplateView):
    """Per deadline rule: counts, and the earliest-due cases (all of one rule with `?rule=`); every read
    through the scoped selectors of `selectors.due` (`base_cases` starts from `Case.objects.visible_to`)."""

    template_name = "recruitment/due_list.html"

    def get_context_data(self, **kwargs):
        org, path, days, today = _context(self.request)
        rows = due.summary(self.request.user, org_path=path, day=today, horizon=days)
        cases = due.base_cases(self.request.user, path).select_related("organisation")
        only = self.request.GET.get("rule", "")
        sections = []
        for row in rows:
            if only and row.deadline.code != only:
                continue
            if not (row.overdue or row.soon) and not only:
                continue
            sections.append(self._section(row, cases, today, days, full=bool(only)))
        if only and not sections:
            raise Http404(NOT_FOUND)
        return {
            **super().get_context_data(**kwargs),
            "org": org,
            "days": days,
            "today": today,
            "org_choices": org_picker(self.request, org),
            "summary": rows,
            "sections": sections,
            "only": only,
            "total_overdue": sum(r.overdue for r in rows),
            "total_soon": sum(r.soon for r in rows),
        }

    def _section(self, row, cases, today, days, *, full: bool) -> dict:
        queryset = due.rule_cases(cases, row.deadline, today, days)
        if full:
            page = Paginator(queryset, PAGE_ROWS).get_page(self.request.GET.get("page"))
            return {"row": row, "items": due.items(row.deadline, page.object_list, today), "page": page}
        return {
            "row": row,
            "items": due.items(row.deadline, queryset[:PREVIEW_ROWS], today),
            "page": None,
            "more": row.overdue + row.soon > PREVIEW_ROWS,
        }


def export_rows(user, org_path, today: datetime.date, days: int):
    """Every overdue and soon-due case, rule by rule, in chunks (the export never loads all rows at once)."""
    cases = due.base_cases(user, org_path).select_related("organisation")
    for deadline in due.deadline_rules(today):
        queryset = due.rule_cases(cases, deadline, today, days)
        for item in _chunked_items(deadline, queryset, today):
            yield [
                f"第{deadline.step}步 {deadline.step_name}",
                deadline.rule.qualified_code,
                item.case.name,
                item.case.organisation.name,
                getattr(item.case, deadline.ref_field),
                item.due_on,
                ("已超过时限，不能办理" if item.hard else "逾期") if item.overdue else "即将到期",
                item.days_left,
                "到期日为暂定（节假日安排未发布）" if item.provisional else "",
            ]


def _chunked_items(deadline, queryset, today, size: int = 2000):
    last_ref, last_pk = None, 0
    while True:
        chunk = queryset
        if last_ref is not None:
            ref = deadline.ref_field
            chunk = chunk.filter(Q(**{f"{ref}__gt": last_ref}) | Q(**{ref: last_ref, "pk__gt": last_pk}))
        rows = list(chunk[:size])
        if not rows:
            return
        yield from due.items(deadline, rows, today)
        last_ref, last_pk = getattr(rows[-1], deadline.ref_field), rows[-1].pk


class DueExportView(ManagerRequiredMixin, LoginRequiredMixin, View):
    """The same list as xlsx or csv (`?fmt=`), same scope and subtree."""

    def get(self, request):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            raise Http404("不支持的导出格式")
        org, path, days, today = _context(request)
        rows = export_rows(request.user, path, today, days)
        name = f"发展党员到期清单-{(org.name if org else '全部')}-{today:%Y%m%d}"
        return exporting.export_response(EXPORT_HEADERS, rows, fmt=fmt, filename=name)

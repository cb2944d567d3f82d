"""Compliance of any subtree for a month, quarter or year (L1's set-wise selectors), its chart by month,
the lapse list (docs/rules.md §5: 6 consecutive months without organisational life) and the xlsx exports."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django_tables2 import RequestConfig

from qiangji.core import exporting
from qiangji.core import periods as core_periods
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.life import selectors
from qiangji.life.forms import PeriodForm
from qiangji.life.selectors import committee as committee_reads
from qiangji.life.selectors import meetings as reads
from qiangji.life.selectors.lapse import lapse_cutoff
from qiangji.life.tables import LapsedTable
from qiangji.life.views.base import LifeView, error_text
from qiangji.members.models import Member

PAGE = 50


def period_from(request):
    """(form, period, error).  Without a choice the page is about the last COMPLETE month (on 3 December:
    November — core.periods.last_complete); a running period chosen keeps its complete months only (it is
    labelled 进行中 and nothing in it is a failure yet); a bad period shows its message and falls back."""
    day = today()
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("period"):
        kind, year, number = form.resolved(day)
    else:
        last = core_periods.last_complete("month", day)
        kind, year, number = "month", last.year, last.number
        if form.is_bound and form.is_valid():  # only a filter (e.g. 未达标) was given: keep it
            form = PeriodForm({**request.GET.dict(), "period": kind, "year": year, "number": number})
            form.is_valid()
    if not form.is_bound:  # show the period the page is about
        form = PeriodForm(initial={"period": kind, "year": year, "number": number})
    try:
        return form, selectors.make_period(kind, year, number, today=day), ""
    except ValidationError as error:
        last = core_periods.last_complete("month", day)
        return form, selectors.make_period("month", last.year, last.number, today=day), error_text(error)


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def chart_data(series: dict) -> dict:
    return {
        "months": [f"{m}月" for m in series["months"]],
        "count_label": "支部数",
        "series": [{"name": s["name"], "data": s["data"]} for s in series["series"]],
    }


class ComplianceView(LifeView):
    def get(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, staff=True)
        form, period, period_error = period_from(request)
        only_missing = form.is_valid() and form.cleaned_data.get("missing")
        wanted = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        rules = selectors.rules_for(org.path)  # once per request, for the rows, the summary and the chart
        total, rows = selectors.compliance_rows(
            org,
            period,
            only_missing=only_missing,
            limit=PAGE,
            offset=(max(wanted, 1) - 1) * PAGE,
            rules=rules,
        )
        page = Paginator(range(total), PAGE).get_page(wanted)
        if page.number != wanted:  # past the end: show the last page instead
            total, rows = selectors.compliance_rows(
                org,
                period,
                only_missing=only_missing,
                limit=PAGE,
                offset=(page.number - 1) * PAGE,
                rules=rules,
            )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "life/compliance.html",
            {
                "org": org,
                "form": form,
                "period": period,
                "period_error": period_error,
                "period_label": period.status_label(today()),
                "period_progress": round(period.progress(today()) * 100) if period.running else None,
                "summary": selectors.compliance_summary(org, period, rules=rules),
                "rows": rows,
                "page": page,
                "type_names": [t.name for t in rows[0].types] if rows else [],
                "chart": chart_data(selectors.monthly_series(org, period.year, rules=rules)),
                "query": query.urlencode(),
                "exemptions": committee_reads.exemptions_in(org, period),
            },
        )


def compliance_export_rows(rows):
    for row in rows:
        cells = [row.name]
        for status in row.types:
            cells.append(
                "免" if status.exempt else f"{status.held}/{status.required}" if status.required else "—"
            )
        cells += [
            row.due,
            row.present,
            percent(row.attendance_rate),
            row.checklist_required,
            row.checklist_done,
            percent(row.checklist_score),
            "、".join(row.missing),
        ]
        yield cells


class ComplianceExportView(LifeView):
    """The branch table of the page as xlsx (all rows, same period and filter)."""

    def get(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, staff=True)
        form, period, _ = period_from(request)
        only_missing = form.is_valid() and form.cleaned_data.get("missing")
        rules = selectors.rules_for(org.path)  # once: for the rows and the headers
        total, rows = selectors.compliance_rows(
            org, period, only_missing=only_missing, limit=10**7, rules=rules
        )
        names = [t.name for t in rules]
        headers = [
            "党组织",
            *[f"{n}（已开/应开）" for n in names],
            "应到人次",
            "实到人次",
            "出席率",
            "规定动作数",
            "已完成",
            "完成率",
            "未达标项目",
        ]
        return exporting.export_response(
            headers,
            compliance_export_rows(rows),
            fmt="xlsx",
            filename=f"组织生活达标-{org.name}-{period.label}",
        )


ATTENDANCE_HEADERS = [
    "召开日期",
    "党支部",
    "会议",
    "会议类型",
    "党员",
    "所在党支部",
    "出席情况",
    "请假获准",
    "缺席原因",
    "列席/外支部",
    "登记方式",
    "签到时间",
]


def attendance_rows(queryset):
    for a in queryset.iterator(chunk_size=2000):
        yield [
            a.meeting.held_on,
            a.meeting.organisation.name,
            a.meeting.title,
            a.meeting.meeting_type.name,
            a.member.name,
            a.home_organisation.name if a.home_organisation else a.meeting.organisation.name,
            a.get_status_display(),
            "是" if a.leave_approved else "否",
            a.absence_reason,
            "是" if a.is_guest else "否",
            a.get_method_display(),
            a.checked_in_at.strftime("%Y-%m-%d %H:%M:%S") if a.checked_in_at else "",
        ]


class AttendanceExportView(LifeView):
    """Attendance at the meetings held in the subtree during the period, one row a person and meeting."""

    def get(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, staff=True)
        _, chosen, _ = period_from(request)
        # Records, not a figure: a running period exports every attendance recorded so far (its months are
        # not cut at the last complete one, as the compliance figures are).
        period = selectors.make_period(chosen.kind, chosen.year, chosen.number)
        rows = reads.attendance_export(org, period)
        return exporting.export_response(
            ATTENDANCE_HEADERS,
            attendance_rows(rows),
            fmt="xlsx",
            filename=f"出席情况-{org.name}-{period.label}",
        )


class LapsedView(ExportMixin, LifeView):
    """Members of the subtree flagged for 6 consecutive months without organisational life (docs/rules.md §5)."""

    def get(self, request, org_pk):
        org = selectors.org_for(request.user, org_pk, staff=True)
        day = today()
        table = LapsedTable(selectors.lapsed_in(request.user, org, day).select_related("organisation"))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(
            request,
            "life/lapsed.html",
            {"org": org, "table": table, "today": day, "cutoff": lapse_cutoff(day)},
        )


class MemberLifeView(LifeView):
    """A member's organisational life: meetings attended or missed, the lapse flag, appraisal grades."""

    model = Member

    def get(self, request, pk):
        member = selectors.member_for(request.user, pk)
        day = today()
        return render(
            request,
            "life/member_life.html",
            {
                "member": member,
                "attendances": reads.member_attendances(member),
                "lapsed": selectors.is_lapsed(member, day),
                "last": reads.last_life(member),
                "cutoff": lapse_cutoff(day),
                "grades": reads.member_grades(member),
            },
        )

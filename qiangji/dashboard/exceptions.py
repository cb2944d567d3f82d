"""The records behind each exception count of the screen (一屏掌控, issue 6 item 2).

One `ExceptionKind` per count in `selectors.node_summary(org)["exception_counts"]`; each answers
`page(user, org, day, limit, offset) -> (total, rows)` over the base tables of its module, scoped
twice (the user's `visible_to` and the organisation's subtree, a path-prefix range), paged in SQL.

The rule logic is the modules' own, never restated here:

* `dev_overdue` — `recruitment.selectors.due`: per deadline rule, the cases past their due date
  (one aggregate query for the counts, a rule's cases paged by their reference date).  A case late
  on two rules is two rows, as in the recruitment due list.
* `life_missing` — `life.selectors.compliance_rows(only_missing=True)` for last month
  (`life_period(day)`): branches that lack a required meeting of that month.
* `term_overdue` — current committees past `term_ends_on` (`orgs.selectors.term_state` = overdue).
* `dues_arrears_6m` — `dues.selectors.arrears` up to last month, keeping the rows its `arrears_row`
  marks `is_old` (the oldest unpaid month is more than 6 months back, docs/rules.md §4/§5).
* `mobile_unaccounted` — mobile members registered out of a branch of the subtree whose inflow
  organisation has not taken them in (flow status `outflow` or `pending`, docs/rules.md §5: the sending
  organisation keeps its duty until the receiving one accepts).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from qiangji.core.choices import Action
from qiangji.core.dates import add_months, first_of_month
from qiangji.dues import selectors as dues_selectors
from qiangji.dues.models import DuesAccount
from qiangji.life.selectors import compliance_rows, make_period
from qiangji.mobility.choices import FlowStatus
from qiangji.mobility.models import MobileFlow
from qiangji.orgs.models import Committee, Organisation
from qiangji.orgs.selectors import term_text
from qiangji.recruitment.selectors import due

PAGE_SIZE = 50
WAITING_FLOW_STATUSES = (FlowStatus.OUTFLOW, FlowStatus.PENDING)  # registered out, not yet taken in


@dataclass
class ExceptionRow:
    """One record behind a count, with the link to its own page in its module."""

    record: str  # the person or organisation the exception is about
    organisation: str  # where it belongs
    detail: str  # what is wrong, in Chinese, with the rule
    date: datetime.date | None  # the kind's date (due date, term end, oldest unpaid month ...)
    amount: int | None  # days overdue, months owed ...
    url: str
    rule: str = ""

    def cells(self) -> list:
        return [self.organisation, self.record, self.detail, self.date, self.amount, self.rule]


@dataclass(frozen=True)
class ExceptionKind:
    code: str
    label: str
    record_label: str
    date_label: str
    amount_label: str
    rule: str
    page: Callable = field(repr=False)

    @property
    def headers(self) -> list[str]:
        return ["党组织", self.record_label, "情况", self.date_label, self.amount_label, "依据"]


# ----- 发展党员：逾期步骤 ----------------------------------------------------------------------------


def _dev_overdue(user, org, day, limit, offset):
    summaries = [s for s in due.summary(user, org_path=org.path, day=day, horizon=0) if s.overdue]
    total = sum(s.overdue for s in summaries)
    rows: list[ExceptionRow] = []
    skip = offset
    for item in summaries:
        if len(rows) >= limit:
            break
        if skip >= item.overdue:
            skip -= item.overdue
            continue
        cases = due.rule_cases(
            due.base_cases(user, org.path), item.deadline, day, 0, overdue=True, soon=False
        )
        cases = cases.select_related("organisation")[skip : skip + limit - len(rows)]
        skip = 0
        rule = f"{item.deadline.rule.rule_set}:{item.deadline.code}"
        for entry in due.items(item.deadline, cases, day):
            rows.append(
                ExceptionRow(
                    record=entry.case.name,
                    organisation=entry.case.organisation.name,
                    detail=f"第{item.deadline.step}步 {item.deadline.step_name}：{item.deadline.rule.title}",
                    date=entry.due_on,
                    amount=entry.days_overdue,
                    rule=rule,
                    url=reverse("recruitment:case", kwargs={"pk": entry.case.pk}),
                )
            )
    return total, rows


# ----- 组织生活：未按规定召开会议的支部 -----------------------------------------------------------------


def life_period(day: datetime.date):
    """Last month, the last complete one (a month in progress would list every branch): the period the
    screen's `life_missing` figure counts (indicators: period "last_month")."""
    last = day.replace(day=1) - datetime.timedelta(days=1)
    return make_period("month", last.year, last.month)


def _life_missing(user, org, day, limit, offset):
    period = life_period(day)
    # LIMIT 0 would also lose the window count: fetch at least one row.
    total, branches = compliance_rows(org, period, only_missing=True, limit=max(limit, 1), offset=offset)
    rows = [
        ExceptionRow(
            record=b.name,
            organisation=b.name,
            detail=f"{period.label}未召开：{'、'.join(b.missing)}",
            date=period.end,
            amount=len(b.missing),
            rule="zbtl-2018",
            url=reverse("life:calendar", kwargs={"org_pk": b.id}),
        )
        for b in branches[:limit]
    ]
    return total, rows


# ----- 换届：任期届满未换届 ---------------------------------------------------------------------------


def _term_overdue(user, org, day, limit, offset):
    committees = (
        Committee.objects.visible_to(user, Action.VIEW)
        .filter(
            org_path__startswith=org.path,
            ended_on__isnull=True,
            organisation__dissolved_on__isnull=True,
            term_ends_on__lt=day,
        )
        .select_related("organisation")
        .order_by("term_ends_on", "pk")
    )
    total = committees.count()
    rows = [
        ExceptionRow(
            record=c.organisation.name,
            organisation=c.organisation.name,
            detail=term_text("overdue", c.term_ends_on),
            date=c.term_ends_on,
            amount=(day - c.term_ends_on).days,
            rule="xjtl-2020",
            url=reverse("orgs:detail", kwargs={"pk": c.organisation_id}),
        )
        for c in committees[offset : offset + limit]
    ]
    return total, rows


# ----- 党费：欠交满6个月 ------------------------------------------------------------------------------


def arrears_month(day: datetime.date) -> datetime.date:
    """Arrears are counted up to last month (this month's dues are not late yet), as on the dues pages."""
    return add_months(first_of_month(day), -1)


def old_accounts(user, org, day):
    """Dues accounts of the subtree whose oldest unpaid month is older than 6 months, as the dues app's
    `arrears_row(...).is_old` decides: oldest unpaid (paid_through + 1 month, or start_month) is before
    the first of this month - 6 months.  Plain filters (indexed `paid_through`), no annotations: the count."""
    limit = add_months(first_of_month(day), -dues_selectors.LAPSE_MONTHS)
    old = Q(paid_through__isnull=False, paid_through__lt=add_months(limit, -1)) | Q(
        paid_through__isnull=True, start_month__lt=limit
    )
    return DuesAccount.objects.visible_to(user, Action.VIEW).filter(
        old, member__org_path__startswith=org.path, member__status__in=dues_selectors.DUES_PAYING
    )


def _dues_arrears(user, org, day, limit, offset):
    accounts = old_accounts(user, org, day)
    total = accounts.count()
    month = arrears_month(day)
    # Cut the page on plain columns (the arrears list's own order), then let the dues app annotate the page
    # only: its per-row subqueries (payments counted, amount now) would otherwise run for every old account.
    page_ids = list(
        accounts.order_by("paid_through", "member__org_path", "member__name_pinyin", "pk").values_list(
            "pk", flat=True
        )[offset : offset + limit]
    )
    page = dues_selectors.arrears(DuesAccount.objects.filter(pk__in=page_ids), month) if page_ids else []
    rows = []
    for account in page:  # the dues app's own list and row
        row = dues_selectors.arrears_row(account, month, day)
        member = account.member
        rows.append(
            ExceptionRow(
                record=member.name,
                organisation=member.organisation.name,
                detail=f"欠交{row.months_owed}个月，最早未交{row.oldest_unpaid:%Y年%m月}",
                date=row.oldest_unpaid,
                amount=row.months_owed,
                rule="dfgd-2008",
                url=reverse("dues:member", kwargs={"pk": member.pk}),
            )
        )
    return total, rows


# ----- 流动党员：流出后未落实 --------------------------------------------------------------------------


def unaccounted_flows(user, org):
    """Registered out of a branch of the subtree (`out_org`, as the rollup groups them) and not (yet) taken
    in by an inflow organisation."""
    # Organisations of the subtree as a subquery: the planner may walk out_org_id's index for a small
    # subtree or hash-join the waiting flows for a large one.
    subtree = Organisation.objects.filter(path__startswith=org.path).values("pk")
    return (
        MobileFlow.objects.visible_to(user, Action.VIEW)
        .filter(out_org__in=subtree, status__in=WAITING_FLOW_STATUSES)
        .select_related("member", "out_org")
        .order_by("left_on", "pk")
    )


def _mobile_unaccounted(user, org, day, limit, offset):
    flows = unaccounted_flows(user, org)
    total = flows.count()
    rows = []
    for flow in flows[offset : offset + limit]:
        place = "".join(part for part in (flow.province, flow.city, flow.county) if part)
        rows.append(
            ExceptionRow(
                record=flow.member.name,
                organisation=flow.out_org.name,
                detail=f"外出至{place}（{flow.get_reason_display()}），{flow.get_status_display()}",
                date=flow.left_on,
                amount=(day - flow.left_on).days,
                rule="jygl-2019",
                url=reverse("mobility:member", kwargs={"pk": flow.member_id}),
            )
        )
    return total, rows


KINDS: dict[str, ExceptionKind] = {
    kind.code: kind
    for kind in (
        ExceptionKind(
            "dev_overdue",
            "发展党员逾期步骤",
            "发展对象/申请人",
            "应完成日期",
            "逾期天数",
            "fzdy-2014 / fzdy-2026",
            _dev_overdue,
        ),
        ExceptionKind(
            "life_missing",
            "未按规定召开组织生活的支部",
            "党支部",
            "统计截止",
            "未召开的会议类型数",
            "zbtl-2018",
            _life_missing,
        ),
        ExceptionKind(
            "term_overdue",
            "任期届满未换届的党组织",
            "党组织",
            "任期届满日",
            "超期天数",
            "xjtl-2020",
            _term_overdue,
        ),
        ExceptionKind(
            "dues_arrears_6m",
            "欠交党费6个月以上的党员",
            "党员",
            "最早未交月份",
            "欠交月数",
            "dfgd-2008",
            _dues_arrears,
        ),
        ExceptionKind(
            "mobile_unaccounted",
            "流出后未落实流入地的流动党员",
            "党员",
            "外出日期",
            "外出天数",
            "jygl-2019",
            _mobile_unaccounted,
        ),
    )
}


def page(kind: str, user, org, day: datetime.date, *, limit: int = PAGE_SIZE, offset: int = 0):
    """(total, rows) of one kind for the subtree of `org` (already read through the user's scope)."""
    return KINDS[kind].page(user, org, day, max(int(limit), 0), max(int(offset), 0))


def count(kind: str, user, org, day: datetime.date) -> int:
    return page(kind, user, org, day, limit=0)[0]

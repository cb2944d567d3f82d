"""Reads of the dues app, set-wise: one query a list, whatever the number of members.

Callers pass a root path already checked against the reader's scope (or a scoped queryset).
`paid_up_to(member)` is the interface other apps use (the transfer letter prints it).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth

from qiangji.core.dates import add_months, add_years, first_of_month
from qiangji.dues import months
from qiangji.dues.choices import PaymentKind, ReductionStatus, SuggestionKind, SuggestionStatus
from qiangji.dues.models import DuesAccount, DuesBase, HardshipReduction, Payment
from qiangji.life.selectors.lapse import lapsed_members
from qiangji.members.choices import MemberStatus
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation

LAPSE_MONTHS = 6  # 《中国共产党章程》第九条: 连续6个月不交纳党费 → 自行脱党 (docs/rules.md §5)
LOST_CONTACT_MONTHS = 6  # 《中国共产党党员教育管理工作条例》: 失去联系满6个月 → 停止党籍 (docs/rules.md §5)
SUSPENDED_YEARS = (
    2  # 《中国共产党党员教育管理工作条例》: 停止党籍2年后仍无法取得联系 → 除名 (docs/rules.md §5)
)
DUES_PAYING = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
MONEY = DecimalField(max_digits=12, decimal_places=2)


def paid_up_to(member) -> datetime.date | None:
    """The last month (first day) up to which dues are paid without a gap; None if nothing is paid.

    Months paid ahead (quarterly payment) count; a month paid after a gap does not, because the
    letter certifies that everything before it is settled (docs/rules.md §5, the introduction letter).
    """
    account = DuesAccount.objects.filter(member_id=getattr(member, "pk", member)).only("paid_through").first()
    return account.paid_through if account else None


def latest_start(on: datetime.date, months_back: int) -> datetime.date:
    """The latest start date from which `months_back` calendar months have passed by `on`.

    Matches members.services' `add_months(since, n) <= on` at month ends (31 Aug + 6 months = 28 Feb).
    """
    back = add_months(on, -months_back)
    if (on + datetime.timedelta(days=1)).day == 1:
        back = months.shift(back, 1) - datetime.timedelta(days=1)
    return back


def bases_of(member) -> QuerySet:
    """The income-base history of a member the caller has already read through the scope."""
    return DuesBase.objects.filter(member=member).select_related("rule")


def reductions_of(member) -> QuerySet:
    """The hardship reductions of a member the caller has already read through the scope."""
    return HardshipReduction.objects.filter(member=member)


# ----- member-level amounts ------------------------------------------------------------------------


def _amount_due(month: datetime.date, member_ref: str = "pk"):
    """SQL: the member's amount for `month` — an approved reduction, else the latest base."""
    reduced = HardshipReduction.objects.filter(
        member=OuterRef(member_ref),
        status=ReductionStatus.APPROVED,
        from_month__lte=month,
        to_month__gte=month,
    )
    base = DuesBase.objects.filter(member=OuterRef(member_ref), effective_month__lte=month).order_by(
        "-effective_month"
    )
    return Coalesce(
        Subquery(reduced.values("reduced_amount")[:1]),
        Subquery(base.values("monthly_amount")[:1]),
        output_field=MONEY,
    )


def month_table(members: QuerySet, month: datetime.date) -> QuerySet:
    """A branch's members for one month: amount due, what was paid for it, when dues started."""
    paid = Payment.objects.filter(member=OuterRef("pk"), kind=PaymentKind.REGULAR, month=month)
    return (
        members.filter(status__in=DUES_PAYING)
        .select_related("organisation", "dues_account")
        .annotate(
            amount_due=_amount_due(month),
            paid_amount=Subquery(paid.values("amount")[:1]),
            paid_on=Subquery(paid.values("paid_on")[:1]),
        )
        .order_by("org_path", "name_pinyin", "pk")
    )


def month_counts(members: QuerySet, month: datetime.date) -> dict:
    """The month table's headline over the WHOLE scope (not the rows shown): members who pay dues, and
    those of them with an amount due and no payment for `month`.  Unpaid never exceeds members."""
    paid = Payment.objects.filter(member=OuterRef("pk"), kind=PaymentKind.REGULAR, month=month)
    return (
        members.filter(status__in=DUES_PAYING)
        .order_by()
        .annotate(amount_due=_amount_due(month), paid_any=Exists(paid))
        .aggregate(
            members=Count("pk"),
            unpaid=Count("pk", filter=Q(paid_any=False, amount_due__isnull=False)),
        )
    )


@dataclass
class ArrearsRow:
    account: DuesAccount
    months_owed: int
    oldest_unpaid: datetime.date
    is_old: bool


def arrears(accounts: QuerySet, month: datetime.date) -> QuerySet:
    """Accounts (scoped by the caller) with an unpaid month up to `month`."""
    paid = (
        Payment.objects.filter(
            member=OuterRef("member"),
            kind=PaymentKind.REGULAR,
            month__gte=OuterRef("start_month"),
            month__lte=month,
        )
        .order_by()
        .values("member")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        accounts.filter(member__status__in=DUES_PAYING, start_month__lte=month)
        .filter(Q(paid_through__isnull=True) | Q(paid_through__lt=month))
        .select_related("member__organisation")
        .annotate(
            paid_count=Coalesce(Subquery(paid, output_field=IntegerField()), 0),
            amount_now=_amount_due(month, "member"),
        )
        .order_by("paid_through", "member__org_path", "member__name_pinyin", "pk")
    )


def arrears_row(account, month: datetime.date, today: datetime.date) -> ArrearsRow:
    oldest = months.shift(account.paid_through, 1) if account.paid_through else account.start_month
    owed = months.count(account.start_month, month) - account.paid_count
    return ArrearsRow(account, owed, oldest, oldest < months.shift(first_of_month(today), -LAPSE_MONTHS))


# ----- lapse and lost contact ------------------------------------------------------------------------


def flagged_members(root_path: str, on: datetime.date) -> dict[tuple[int, str], datetime.date]:
    """{(member id, kind): since} for every member under `root_path` a suggestion applies to (4 queries)."""
    found: dict[tuple[int, str], datetime.date] = {}
    cut = first_of_month(latest_start(on, LAPSE_MONTHS))
    lapsed = DuesAccount.objects.filter(
        member__org_path__startswith=root_path, member__status__in=DUES_PAYING
    )
    lapsed = lapsed.filter(
        Q(last_paid_month__lte=months.shift(cut, -1)) | Q(last_paid_month__isnull=True, start_month__lte=cut)
    )
    for member_id, last, start in lapsed.values_list("member_id", "last_paid_month", "start_month"):
        found[(member_id, SuggestionKind.LAPSE_DUES)] = months.shift(last, 1) if last else start
    found.update(_life_lapses(root_path, on))
    lost = Member.objects.filter(
        org_path__startswith=root_path,
        status=MemberStatus.LOST_CONTACT,
        lost_contact_since__lte=latest_start(on, LOST_CONTACT_MONTHS),
    )
    for member_id, since in lost.values_list("pk", "lost_contact_since"):
        found[(member_id, SuggestionKind.SUSPEND)] = since
    cutoff = add_years(on, -SUSPENDED_YEARS)
    suspended = Member.objects.filter(
        org_path__startswith=root_path, status=MemberStatus.SUSPENDED, status_since__lte=cutoff
    )
    for member_id, since in suspended.values_list("pk", "status_since"):
        found[(member_id, SuggestionKind.REMOVE)] = since
    return found


def _life_lapses(root_path: str, on: datetime.date) -> dict[tuple[int, str], datetime.date]:
    """Six months without organisational life, from the life app's own selector (docs/rules.md §5).

    `since` is the last organisational life (or the day the record entered the platform).
    """
    members = Member.objects.filter(org_path__startswith=root_path, status__in=DUES_PAYING)
    return {
        (member_id, SuggestionKind.LAPSE_LIFE): last
        for member_id, last in lapsed_members(members, on).values_list("pk", "last_life_on")
    }


def open_suggestions(suggestions: QuerySet) -> QuerySet:
    return (
        suggestions.filter(status=SuggestionStatus.OPEN)
        .select_related("member__organisation")
        .order_by("since", "member__org_path", "pk")
    )


# ----- per organisation: collection rate and remittance -------------------------------------------


def _children(root: Organisation) -> tuple[int, dict[str, Organisation]]:
    """Length of a child's path and the children (plus the root itself for its own members)."""
    width = len(root.path) + root.steplen
    children = {
        org.path: org
        for org in Organisation.objects.filter(
            path__startswith=root.path, depth__in=[root.depth, root.depth + 1]
        )
    }
    return width, children


def collection_rates(root: Organisation, month: datetime.date) -> list[dict]:
    """Members due, members paid and amounts for `month`, per child of `root` (3 queries)."""
    width, children = _children(root)
    due = (
        Member.objects.filter(
            org_path__startswith=root.path, status__in=DUES_PAYING, dues_account__start_month__lte=month
        )
        .annotate(prefix=Substr("org_path", 1, width), due_amount=_amount_due(month))
        .order_by()
        .values("prefix")
        .annotate(members=Count("pk"), amount=Sum("due_amount"))
    )
    paid = (
        Payment.objects.filter(org_path__startswith=root.path, kind=PaymentKind.REGULAR, month=month)
        .annotate(prefix=Substr("org_path", 1, width))
        .order_by()
        .values("prefix")
        .annotate(members=Count("member", distinct=True), amount=Sum("amount"))
    )
    rows: dict[str, dict] = {}
    zero = {"due_members": 0, "due_amount": Decimal("0"), "paid_members": 0, "paid_amount": Decimal("0")}
    for row in due:
        rows.setdefault(row["prefix"], dict(zero)).update(
            due_members=row["members"], due_amount=row["amount"] or 0
        )
    for row in paid:
        rows.setdefault(row["prefix"], dict(zero)).update(
            paid_members=row["members"], paid_amount=row["amount"]
        )
    return [_rate_row(children.get(prefix), prefix, values) for prefix, values in sorted(rows.items())]


def _rate_row(org, prefix: str, values: dict) -> dict:
    due = values["due_members"]
    rate = round(values["paid_members"] * 100 / due, 1) if due else None
    return {"org": org, "path": prefix, "rate": rate, **values}


def remittance(root: Organisation, first: datetime.date, last: datetime.date) -> list[dict]:
    """Dues collected per child of `root` and month of collection (paid_on), rolled up by path prefix.

    By collection month, not the month a payment is for: what a branch remits in June is what it took in
    June, arrears and prepaid quarters included (2 queries).
    """
    width, children = _children(root)
    rows = (
        Payment.objects.filter(
            org_path__startswith=root.path, paid_on__gte=first, paid_on__lt=months.shift(last, 1)
        )
        .annotate(prefix=Substr("org_path", 1, width), period=TruncMonth("paid_on"))
        .order_by()
        .values("prefix", "period")
        .annotate(
            regular=Coalesce(
                Sum("amount", filter=Q(kind=PaymentKind.REGULAR)), Decimal("0"), output_field=MONEY
            ),
            voluntary=Coalesce(
                Sum("amount", filter=Q(kind=PaymentKind.VOLUNTARY)), Decimal("0"), output_field=MONEY
            ),
            centre=Coalesce(Sum("amount", filter=Q(to_centre=True)), Decimal("0"), output_field=MONEY),
            payments=Count("pk"),
        )
    )
    return [
        row
        | {
            "org": children.get(row["prefix"]),
            "total": row["regular"] + row["voluntary"],
            "month": row["period"],
        }
        for row in sorted(rows, key=lambda row: (row["period"], row["prefix"]))
    ]

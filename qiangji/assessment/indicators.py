"""The indicator registry: every computed indicator, set-wise and explained (docs/rules.md §6; ADR 0019).

A source's `compute(orgs, ctx)` returns {organisation id: Measure(numerator, denominator)} for a whole set
of organisations in a few SQL statements (never one per organisation), reusing the owning app's rule code
(life compliance rows, recruitment deadline windows, dues paid-through months, committee terms, member
completeness).  `explain(org, ctx)` returns the records behind one organisation's value, each with a link
to its page and whether it counts as done (`ok`); the items not ok are "what is missing".
The scoring (`scoring.py`) turns a measure into points with the indicator's weight and thresholds.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import Count
from django.urls import reverse

from qiangji.core.dates import add_months, first_of_month
from qiangji.dues.models import DuesAccount
from qiangji.dues.selectors import DUES_PAYING
from qiangji.education import selectors as education_selectors
from qiangji.life.choices import HELD_STATES, PeriodKind
from qiangji.life.models import Meeting
from qiangji.life.selectors.compliance import rows_sql, rules_for
from qiangji.life.selectors.periods import Period
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Committee, Organisation
from qiangji.recruitment.choices import ACTIVE_STATUSES
from qiangji.recruitment.models import Case
from qiangji.recruitment.selectors import due


@dataclass(frozen=True)
class OrgSet:
    """The organisations a set rates: live organisations of the kinds under `root`, optionally of one category."""

    root: str
    kinds: tuple[str, ...] = tuple(sorted(BRANCH_KINDS))
    category: str = ""
    ids: tuple[int, ...] | None = None

    def queryset(self):
        rows = Organisation.objects.filter(
            path__startswith=self.root, dissolved_on__isnull=True, kind__in=self.kinds
        )
        if self.category:
            rows = rows.filter(category=self.category)
        if self.ids is not None:
            rows = rows.filter(pk__in=list(self.ids))
        return rows

    def id_sql(self) -> tuple[str, list]:
        sql, params = self.queryset().order_by().values("id").query.sql_with_params()
        return sql, list(params)

    def only(self, org) -> "OrgSet":
        return OrgSet(org.path, self.kinds, self.category, (org.pk,))


@dataclass(frozen=True)
class Context:
    year: int
    as_of: datetime.date

    @property
    def period(self) -> Period:
        return Period(PeriodKind.YEAR, self.year, 1)


@dataclass(frozen=True)
class Measure:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return None if self.denominator <= 0 else self.numerator / self.denominator


@dataclass
class Item:
    label: str
    url: str
    ok: bool
    note: str = ""


@dataclass
class Source:
    key: str
    name: str
    description: str
    compute: Callable[[OrgSet, Context], dict[int, Measure]]
    explain: Callable[[Organisation, Context], list[Item]]
    app: str = ""


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    REGISTRY[source.key] = source
    return source


def source_choices() -> list[tuple[str, str]]:
    return [(key, source.name) for key, source in REGISTRY.items()]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _measures(rows) -> dict[int, Measure]:
    return {int(oid): Measure(int(num or 0), int(den or 0)) for oid, num, den in rows}


# ----- organisational life (life) ----------------------------------------------------------------------


def _life_sql(orgs: OrgSet, ctx: Context) -> tuple[str, list, list]:
    rules = rules_for(orgs.root)
    body, params = rows_sql(orgs.root, ctx.period, rules)
    num = " + ".join(
        f"(CASE WHEN s.x_{t.id} = 0 THEN (CASE WHEN s.held_{t.id} < s.req_{t.id} THEN s.held_{t.id} "
        f"ELSE s.req_{t.id} END) ELSE 0 END)"
        for t in rules
    )
    den = " + ".join(f"(CASE WHEN s.x_{t.id} = 0 THEN s.req_{t.id} ELSE 0 END)" for t in rules)
    ids, id_params = orgs.id_sql()
    sql = f"SELECT s.id, {num or '0'}, {den or '0'} FROM ({body}) s WHERE s.id IN ({ids})"
    return sql, [*params, *id_params], rules


def life_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    sql, params, _rules = _life_sql(orgs, ctx)
    return _measures(_fetch(sql, params))


def life_explain(org: Organisation, ctx: Context) -> list[Item]:
    rules = rules_for(org.path)
    body, params = rows_sql(org.path, ctx.period, rules)
    rows = _fetch(f"SELECT * FROM ({body}) s WHERE s.id = %s", [*params, org.pk])
    link = reverse("life:compliance", kwargs={"org_pk": org.pk}) + f"?period=year&year={ctx.year}&number=1"
    items: list[Item] = []
    if rows:
        row = rows[0]
        for index, rule in enumerate(rules):
            held, required, exempt = row[3 + 3 * index : 6 + 3 * index]
            if not required:
                continue
            note = "已豁免" if exempt else ""
            items.append(
                Item(
                    f"{rule.name}：应开{required}次，已开{held}次",
                    link,
                    bool(exempt) or held >= required,
                    note,
                )
            )
    meetings = Meeting.objects.filter(
        organisation=org, status__in=HELD_STATES, held_on__gte=ctx.period.start, held_on__lte=ctx.period.end
    ).select_related("meeting_type")
    for meeting in meetings.order_by("held_on", "pk"):
        items.append(
            Item(
                f"{meeting.held_on:%Y-%m-%d} {meeting.meeting_type.name}：{meeting.title}",
                reverse("life:meeting-detail", kwargs={"pk": meeting.pk}),
                True,
            )
        )
    return items


register(
    Source(
        "life_compliance",
        "组织生活按规定开展",
        "本年度各类应开会议（三会一课、主题党日、组织生活会等）按规定频次开展的次数 ÷ 应开次数（豁免不计）",
        life_compute,
        life_explain,
        "life",
    )
)


# ----- dues (dues) ---------------------------------------------------------------------------------------


def dues_reference_month(ctx: Context) -> datetime.date:
    """The last month that must be paid on `as_of`: the previous calendar month."""
    return add_months(first_of_month(ctx.as_of), -1)


def dues_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    month = dues_reference_month(ctx)
    ids, id_params = orgs.id_sql()
    paying = ", ".join("'" + str(s) + "'" for s in DUES_PAYING)
    sql = (
        "SELECT m.organisation_id, SUM(CASE WHEN a.start_month > %s OR (a.paid_through IS NOT NULL "
        "AND a.paid_through >= %s) THEN 1 ELSE 0 END), COUNT(*) FROM dues_duesaccount a "
        f"JOIN members_member m ON m.id = a.member_id WHERE m.status IN ({paying}) "
        f"AND m.organisation_id IN ({ids}) GROUP BY m.organisation_id"
    )
    return _measures(_fetch(sql, [month, month, *id_params]))


def dues_explain(org: Organisation, ctx: Context) -> list[Item]:
    month = dues_reference_month(ctx)
    accounts = DuesAccount.objects.filter(
        member__organisation=org, member__status__in=DUES_PAYING
    ).select_related("member")
    items = []
    for account in accounts.order_by("member__name_pinyin", "pk"):
        ok = account.start_month > month or (
            account.paid_through is not None and account.paid_through >= month
        )
        through = f"{account.paid_through:%Y-%m}" if account.paid_through else "未交"
        items.append(
            Item(
                f"{account.member.name}：连续交至 {through}（应交至 {month:%Y-%m}）",
                reverse("dues:member", kwargs={"pk": account.member_id}),
                ok,
            )
        )
    return items


register(
    Source(
        "dues_collection",
        "党费按月足额交纳",
        "应交党费的党员中已连续交至上月（或上月后才起交）的人数 ÷ 应交人数",
        dues_compute,
        dues_explain,
        "dues",
    )
)


# ----- committee terms (orgs) ------------------------------------------------------------------------------


def terms_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    ids, id_params = orgs.id_sql()
    sql = (
        "SELECT o.id, CASE WHEN EXISTS (SELECT 1 FROM orgs_committee c WHERE c.organisation_id = o.id "
        "AND c.ended_on IS NULL AND c.term_ends_on >= %s) THEN 1 ELSE 0 END, 1 "
        f"FROM orgs_organisation o WHERE o.id IN ({ids})"
    )
    return _measures(_fetch(sql, [ctx.as_of, *id_params]))


def terms_explain(org: Organisation, ctx: Context) -> list[Item]:
    link = reverse("orgs:detail", kwargs={"pk": org.pk})
    current = list(Committee.objects.filter(organisation=org, ended_on__isnull=True).order_by("-elected_on"))
    if not current:
        return [Item("未登记现任委员会（应按期换届选举）", link, False)]
    return [
        Item(
            f"{c.elected_on:%Y-%m-%d}选举，任期{c.term_years}年，{c.term_ends_on:%Y-%m-%d}届满",
            link,
            c.term_ends_on >= ctx.as_of,
            "" if c.term_ends_on >= ctx.as_of else "已到期未换届",
        )
        for c in current
    ]


register(
    Source(
        "term_on_time",
        "按期换届",
        "有现任委员会且任期未届满得满分；到期未换届或未登记委员会不得分",
        terms_compute,
        terms_explain,
        "orgs",
    )
)


# ----- member records (members) ----------------------------------------------------------------------------


def completeness_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    ids, id_params = orgs.id_sql()
    roll = ", ".join("'" + str(s) + "'" for s in sorted(ON_ROLL))
    sql = (
        "SELECT m.organisation_id, SUM(m.completeness), 100 * COUNT(*) FROM members_member m "
        f"WHERE m.status IN ({roll}) AND m.organisation_id IN ({ids}) GROUP BY m.organisation_id"
    )
    return _measures(_fetch(sql, id_params))


def completeness_explain(org: Organisation, ctx: Context) -> list[Item]:
    members = Member.objects.filter(organisation=org, status__in=ON_ROLL).order_by(
        "completeness", "name_pinyin"
    )
    return [
        Item(
            f"{m.name}：信息完整度 {m.completeness}%",
            reverse("members:detail", kwargs={"pk": m.pk}),
            m.completeness >= 100,
        )
        for m in members.only("pk", "name", "completeness")
    ]


register(
    Source(
        "data_completeness",
        "党员信息完整",
        "在册党员信息完整度之和 ÷（在册人数 × 100%）",
        completeness_compute,
        completeness_explain,
        "members",
    )
)


# ----- member development (recruitment) ----------------------------------------------------------------------


def development_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    ids = orgs.queryset().values("id")
    cases = Case.objects.filter(status__in=ACTIVE_STATUSES, organisation_id__in=ids)
    active = dict(cases.order_by().values_list("organisation_id").annotate(n=Count("pk")))
    late = due.counts_by_branch(ctx.as_of, 0, cases)
    result = {}
    for oid, total in active.items():
        overdue = sum(row[1] for row in late.get(oid, []))
        result[oid] = Measure(max(total - overdue, 0), total)
    return result


def development_explain(org: Organisation, ctx: Context) -> list[Item]:
    """The organisation's cases in progress with the deadline rules each has overdue: ONE query (a flag per rule)."""
    deadlines = due.deadline_rules(ctx.as_of)
    cases = Case.objects.filter(status__in=ACTIVE_STATUSES, organisation=org)
    flags = {
        f"late_{i}": models.Case(
            models.When(due._window_q(d, ctx.as_of, 0, overdue=True, soon=False), then=models.Value(1)),
            default=models.Value(0),
            output_field=models.IntegerField(),
        )
        for i, d in enumerate(deadlines)
    }
    items = []
    for case in cases.annotate(**flags).order_by("pk"):
        url = reverse("recruitment:case", kwargs={"pk": case.pk})
        late = [d for i, d in enumerate(deadlines) if getattr(case, f"late_{i}")]
        items.extend(Item(f"{case.name}：{d.rule.title}已超期", url, False) for d in late)
        if not late:
            items.append(Item(f"{case.name}：按期推进", url, True))
    return items


register(
    Source(
        "development_timeliness",
        "发展党员按期推进",
        "在办发展对象中无超期步骤的比例：（在办数 − 超期项数）÷ 在办数；没有在办对象时按满分",
        development_compute,
        development_explain,
        "recruitment",
    )
)


# ----- training hours (education) --------------------------------------------------------------------------


def training_compute(orgs: OrgSet, ctx: Context) -> dict[int, Measure]:
    """Members on the roll who met the year's required hours ÷ members on the roll (education's own ledger
    arithmetic, `education.selectors.with_hours`, grouped by branch in one statement)."""
    members = Member.objects.filter(status__in=ON_ROLL, organisation_id__in=orgs.queryset().values("id"))
    rows = (
        education_selectors.with_hours(members, ctx.year)
        .order_by()
        .values("organisation_id")
        .annotate(
            n=Count("pk"),
            met=models.Sum(
                models.Case(models.When(short_hh=0, then=1), default=0, output_field=models.IntegerField())
            ),
        )
    )
    return {row["organisation_id"]: Measure(int(row["met"] or 0), int(row["n"])) for row in rows}


def training_explain(org: Organisation, ctx: Context) -> list[Item]:
    members = Member.objects.filter(status__in=ON_ROLL, organisation=org)
    items = []
    for m in education_selectors.with_hours(members, ctx.year).order_by("-short_hh", "name_pinyin", "pk"):
        items.append(
            Item(
                f"{m.name}：{m.total_hh / 2:g}学时，应{m.required_hh / 2:g}学时",
                reverse("education:member-year", kwargs={"pk": m.pk}) + f"?year={ctx.year}",
                m.short_hh == 0,
            )
        )
    return items


register(
    Source(
        "training_coverage",
        "党员教育培训学时达标",
        "在册党员中本年度学时达到要求的人数 ÷ 在册人数（学时按党员教育模块的学时账本计算）",
        training_compute,
        training_explain,
        "education",
    )
)


@dataclass
class Explanation:
    source: Source
    measure: Measure | None
    items: list[Item] = field(default_factory=list)

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.ok]


def explain(key: str, org: Organisation, ctx: Context, orgs: OrgSet | None = None) -> Explanation:
    source = REGISTRY[key]
    measure = None
    if orgs is not None:
        measure = source.compute(orgs.only(org), ctx).get(org.pk)
    return Explanation(source, measure, source.explain(org, ctx))

"""Weak and slack organisations (软弱涣散), found set-wise by the level's criteria (docs/rules.md §6).

`detect(level, year, as_of)` reads each enabled criterion ONCE for every branch under the level (one or two
SQL statements a criterion) and returns {organisation id: [reason, …]}; each reason carries the criterion,
its parameter and the figure that tripped it.  Pure reads: `services.weak.detect_weak` stores the flags.
`colour_grades` grades the villages of a subtree by class (赋色分级): red for a weak one, else by its star.
"""

import datetime
import math
import zoneinfo
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from qiangji.assessment.choices import Colour, RatingStatus, RunStatus, WeakCriterionCode
from qiangji.assessment.indicators import Context, OrgSet, life_compute
from qiangji.assessment.models import Score, StarRating, WeakCriterion, WeakFlag
from qiangji.core.dates import add_months
from qiangji.orgs.choices import OrgCategory
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import CaseStatus
from qiangji.service.choices import Rating
from qiangji.service.models import Request

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# code → (default parameter, what the parameter means, source)
DEFAULTS = {
    WeakCriterionCode.SECRETARY_VACANT: (
        Decimal("3"),
        "月",
        "书记空缺超过3个月（常见认定情形，本地示例，docs/rules.md §6）",
    ),
    WeakCriterionCode.MEETINGS_MISSING: (
        Decimal("0.75"),
        "比例",
        "规定会议开展不足应开次数的75%（本地示例，docs/rules.md §6）",
    ),
    WeakCriterionCode.NO_DEVELOPMENT: (
        Decimal("2"),
        "年",
        "村党组织连续2年未发展党员（常见认定情形，本地示例，docs/rules.md §6）",
    ),
    WeakCriterionCode.BOTTOM_SHARE: (
        Decimal("5"),
        "%",
        "年度考核得分末位5%（每年按5%–10%倒排整顿，本地示例，docs/rules.md §6）",
    ),
    WeakCriterionCode.LOW_SATISFACTION: (
        Decimal("60"),
        "%",
        "接诉即办群众满意率低于60%（常见认定情形，本地示例，docs/rules.md §6）",
    ),
}


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _reason(code: str, parameter: Decimal, text: str) -> dict:
    return {"code": str(code), "parameter": str(parameter), "text": text}


def secretary_vacant(orgs: OrgSet, as_of: datetime.date, months: Decimal) -> dict[int, dict]:
    """No serving secretary, and the post empty since before `as_of` minus `months` (exactly that long: not yet)."""
    cutoff = add_months(as_of, -int(months))
    ids, params = orgs.id_sql()
    sql = (
        "SELECT o.id, (SELECT MAX(s.ended_on) FROM orgs_committeemember s JOIN orgs_committee c ON c.id = s.committee_id "
        "WHERE c.organisation_id = o.id AND s.post = 'secretary'), o.founded_on FROM orgs_organisation o "
        f"WHERE o.id IN ({ids}) AND NOT EXISTS (SELECT 1 FROM orgs_committeemember s JOIN orgs_committee c "
        "ON c.id = s.committee_id WHERE c.organisation_id = o.id AND c.ended_on IS NULL AND s.post = 'secretary' "
        "AND s.ended_on IS NULL)"
    )
    found = {}
    for oid, last_end, founded in _fetch(sql, params):
        since = last_end or founded
        if isinstance(since, str):
            since = datetime.date.fromisoformat(since)
        if since is None or since < cutoff:
            text = f"书记空缺（自{since:%Y-%m-%d}起）" if since else "未配备书记"
            found[oid] = _reason(
                WeakCriterionCode.SECRETARY_VACANT, months, text + f"，超过{int(months)}个月"
            )
    return found


def meetings_missing(orgs: OrgSet, year: int, as_of: datetime.date, share: Decimal) -> dict[int, dict]:
    found = {}
    for oid, measure in life_compute(orgs, Context(year, as_of)).items():
        if measure.denominator > 0 and Decimal(measure.numerator) < share * measure.denominator:
            found[oid] = _reason(
                WeakCriterionCode.MEETINGS_MISSING,
                share,
                f"规定会议开展{measure.numerator}次，应开{measure.denominator}次（不足{share * 100:.0f}%）",
            )
    return found


def no_development(orgs: OrgSet, year: int, years: Decimal) -> dict[int, dict]:
    """Villages (category rural) with neither a development target nor an admission in the last `years` years."""
    first = year - int(years) + 1
    ids, params = orgs.id_sql()
    sql = (
        f"SELECT o.id FROM orgs_organisation o WHERE o.id IN ({ids}) AND o.category = %s "
        "AND NOT EXISTS (SELECT 1 FROM recruitment_developmentplan p WHERE p.organisation_id = o.id "
        "AND p.year >= %s AND p.year <= %s AND p.planned > 0) "
        "AND NOT EXISTS (SELECT 1 FROM recruitment_case c WHERE c.organisation_id = o.id AND c.admitted_on >= %s "
        "AND c.status <> %s AND c.status <> %s)"
    )
    rows = _fetch(
        sql,
        [
            *params,
            OrgCategory.RURAL,
            first,
            year,
            datetime.date(first, 1, 1),
            CaseStatus.WITHDRAWN,
            CaseStatus.CANCELLED,
        ],
    )
    text = f"{first}—{year}年无发展党员计划、未发展党员"
    return {oid: _reason(WeakCriterionCode.NO_DEVELOPMENT, years, text) for (oid,) in rows}


def latest_run_scores(level: Organisation, year: int):
    scores = Score.objects.filter(
        run__indicator_set__org_path=level.path,
        run__indicator_set__year=year,
        run__status=RunStatus.PUBLISHED,
    )
    run_id = scores.order_by("-run__published_at", "-run_id").values_list("run_id", flat=True).first()
    return Score.objects.filter(run_id=run_id) if run_id else Score.objects.none()


def bottom_share(orgs: OrgSet, level: Organisation, year: int, percent: Decimal) -> dict[int, dict]:
    """The last ceil(N × percent / 100) of the level's latest published run of the year (ties by path)."""
    rows = list(
        latest_run_scores(level, year).order_by("total", "org_path").values_list("organisation_id", "total")
    )
    take = math.ceil(len(rows) * percent / 100)
    wanted = set(orgs.queryset().values_list("pk", flat=True)) if orgs.ids is not None else None
    found = {}
    for rank, (oid, total) in enumerate(rows[:take], start=1):
        if wanted is None or oid in wanted:
            found[oid] = _reason(
                WeakCriterionCode.BOTTOM_SHARE,
                percent,
                f"年度考核{total}分，倒数第{rank}名（共{len(rows)}个，末位{percent}%）",
            )
    return found


def low_satisfaction(level: Organisation, year: int, percent: Decimal) -> dict[int, dict]:
    """Organisations (any kind) under the level answering requests (`service.Request.first_org`) whose rated
    requests of the year were satisfied or basically satisfied less than `percent` % of the time: one grouped query."""
    start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    rated = (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED)
    rows = (
        Request.objects.filter(
            first_org__path__startswith=level.path,
            created_at__gte=start,
            created_at__lt=end,
            rating__in=rated,
        )
        .order_by()
        .values("first_org_id")
        .annotate(n=Count("pk"), good=Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))))
    )
    found = {}
    for row in rows:
        if row["n"] and Decimal(100 * row["good"]) < percent * row["n"]:
            found[row["first_org_id"]] = _reason(
                WeakCriterionCode.LOW_SATISFACTION,
                percent,
                f"群众诉求满意率{100 * row['good'] / row['n']:.1f}%（{row['good']}/{row['n']}，低于{percent}%）",
            )
    return found


def criteria_for(level: Organisation, year: int) -> list[WeakCriterion]:
    return list(WeakCriterion.objects.filter(organisation=level, year=year, enabled=True).order_by("code"))


def detect(level: Organisation, year: int, as_of: datetime.date, criteria=None) -> dict[int, list[dict]]:
    orgs = OrgSet(level.path)
    found: dict[int, list[dict]] = {}
    for criterion in criteria_for(level, year) if criteria is None else criteria:
        p = criterion.parameter
        if criterion.code == WeakCriterionCode.SECRETARY_VACANT:
            hits = secretary_vacant(orgs, as_of, p)
        elif criterion.code == WeakCriterionCode.MEETINGS_MISSING:
            hits = meetings_missing(orgs, year, as_of, p)
        elif criterion.code == WeakCriterionCode.NO_DEVELOPMENT:
            hits = no_development(orgs, year, p)
        elif criterion.code == WeakCriterionCode.LOW_SATISFACTION:
            hits = low_satisfaction(level, year, p)
        else:
            hits = bottom_share(orgs, level, year, p)
        for oid, reason in hits.items():
            found.setdefault(oid, []).append(reason)
    return found


def colour_grades(root: Organisation, year: int) -> list[dict]:
    """Villages (category rural) of the subtree: red when flagged weak this year, else by the star (final
    rating, or the published score), grey when neither exists.  Three queries whatever the size."""
    villages = list(
        OrgSet(root.path, category=OrgCategory.RURAL)
        .queryset()
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    ids = [v[0] for v in villages]
    flagged = set(
        WeakFlag.objects.filter(year=year, organisation_id__in=ids).values_list("organisation_id", flat=True)
    )
    stars = dict(
        StarRating.objects.filter(
            indicator_set__year=year, status=RatingStatus.FINAL, organisation_id__in=ids
        ).values_list("organisation_id", "final_stars")
    )
    scored = dict(
        Score.objects.filter(
            run__indicator_set__year=year, run__status=RunStatus.PUBLISHED, organisation_id__in=ids
        )
        .order_by("organisation_id", "run_id")
        .values_list("organisation_id", "stars")
    )
    rows = []
    for pk, name, path in villages:
        star = stars.get(pk, scored.get(pk))
        if pk in flagged:
            colour = Colour.RED
        elif star is None:
            colour = Colour.GREY
        elif star <= 2:
            colour = Colour.YELLOW
        elif star == 3:
            colour = Colour.BLUE
        else:
            colour = Colour.GREEN
        rows.append(
            {
                "id": pk,
                "name": name,
                "path": path,
                "stars": star,
                "colour": colour,
                "label": Colour(colour).label,
            }
        )
    return rows

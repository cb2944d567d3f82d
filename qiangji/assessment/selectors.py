"""Reads of the assessment app, always through the user's scope (docs/architecture.md).

A set is visible to the level that owns it and to every organisation it rates (a branch sees the county's
set); scores, ratings and history are visible in the subtree of the organisation they are about.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from qiangji.assessment import indicators, scoring
from qiangji.assessment.choices import (
    AppealDecision,
    IndicatorKind,
    LineKind,
    NominationStatus,
    RatingStatus,
    RunStatus,
)
from qiangji.assessment.models import (
    AccountabilityCase,
    Appeal,
    IndicatorSet,
    Nomination,
    Objection,
    Score,
    ScoreLine,
    ScoringRun,
    SecretaryReport,
    StarChange,
    StarRating,
    WeakCriterion,
    WeakFlag,
)
from qiangji.core.choices import Action
from qiangji.core.scoping import ancestor_paths, scope_of


def sets_for(user, action: str = Action.VIEW):
    """Sets owned inside the user's subtree or owned above it (the sets that rate the user's organisations)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return IndicatorSet.objects.all()
    roots = scope.paths_for(action)
    if not roots:
        return IndicatorSet.objects.none()
    above = {path for root in roots for path in ancestor_paths(root)}
    q = Q(org_path__in=sorted(above))
    for root in roots:
        q |= Q(org_path__startswith=root)
    return IndicatorSet.objects.filter(q)


def runs_for(user, indicator_set: IndicatorSet):
    """Runs of a visible set: all of them for its level, published ones for the organisations it rates."""
    runs = ScoringRun.objects.filter(indicator_set=indicator_set)
    if not scope_of(user).allows(Action.CHANGE, indicator_set.org_path):
        runs = runs.filter(status=RunStatus.PUBLISHED)
    return runs


def is_set_level(user, indicator_set: IndicatorSet) -> bool:
    return scope_of(user).allows(Action.CHANGE, indicator_set.org_path)


def scores_of(user, run: ScoringRun):
    return Score.objects.visible_to(user).filter(run=run)


def distribution(scores) -> dict:
    """Counts by star and by 10-point band, two grouped queries over the run's scores."""
    by_star = dict(scores.order_by().values_list("stars").annotate(n=Count("pk")))
    total = sum(by_star.values())
    stars = [
        (n, by_star.get(n, 0), round(100 * by_star.get(n, 0) / total, 1) if total else 0.0)
        for n in range(5, -1, -1)
    ]
    bands = []
    for low in range(90, -10, -10):
        high = Decimal(low + 10) if low < 90 else Decimal("1000")
        count = scores.filter(total__gte=low, total__lt=high).count()
        bands.append(
            (f"{low}–{low + 9 if low < 90 else 100}", count, round(100 * count / total, 1) if total else 0.0)
        )
    return {"total": total, "stars": stars, "bands": bands}


@dataclass
class LineView:
    line: ScoreLine
    explanation: indicators.Explanation | None = None
    lost: Decimal = Decimal("0")

    @property
    def missing(self) -> list[indicators.Item]:
        return self.explanation.missing if self.explanation else []


@dataclass
class ScoreView:
    score: Score
    lines: list[LineView] = field(default_factory=list)
    next_stars: int | None = None
    gap: Decimal | None = None

    @property
    def to_do(self) -> list[LineView]:
        """The lines that lost points, biggest loss first: what is missing for the next star."""
        return sorted((lv for lv in self.lines if lv.lost > 0), key=lambda lv: -lv.lost)


def explain_score(score: Score, *, with_items: bool = True) -> ScoreView:
    """Every line of a score and the records behind it (the indicator's `explain`), the gap to the next star."""
    run = score.run
    indicator_set = run.indicator_set
    ctx = scoring.context(indicator_set, run.as_of)
    view = ScoreView(score)
    for line in score.lines.select_related("indicator", "adjustment").order_by("pk"):
        lv = LineView(line)
        if line.max_points is not None:
            lv.lost = line.max_points - line.points
        if with_items and line.indicator and line.indicator.kind == IndicatorKind.COMPUTED:
            source = indicators.REGISTRY.get(line.indicator.source_key)
            if source is not None:
                lv.explanation = indicators.Explanation(
                    source,
                    indicators.Measure(line.numerator or 0, line.denominator or 0),
                    source.explain(score.organisation, ctx),
                )
        view.lines.append(lv)
    if not score.vetoed:
        higher = indicator_set.thresholds.filter(stars__gt=score.stars).order_by("stars").first()
        if higher is not None:
            view.next_stars, view.gap = higher.stars, max(Decimal("0"), higher.min_points - score.total)
    return view


def explain_line(line: ScoreLine) -> indicators.Explanation | None:
    if line.indicator is None or line.indicator.kind != IndicatorKind.COMPUTED:
        return None
    score = line.score
    ctx = scoring.context(score.run.indicator_set, score.run.as_of)
    source = indicators.REGISTRY.get(line.indicator.source_key)
    if source is None:
        return None
    return indicators.Explanation(
        source,
        indicators.Measure(line.numerator or 0, line.denominator or 0),
        source.explain(score.organisation, ctx),
    )


def manual_entry_url(line: ScoreLine) -> str:
    if line.kind == LineKind.MANUAL and line.indicator_id:
        return reverse("assessment:manual", kwargs={"pk": line.score_id, "indicator": line.indicator_id})
    return ""


def ratings_of(user):
    return StarRating.objects.visible_to(user).select_related("indicator_set", "score")


def rating_for_score(user, score: Score) -> StarRating | None:
    return (
        ratings_of(user)
        .filter(score__run__indicator_set=score.run.indicator_set, organisation=score.organisation_id)
        .first()
    )


def history_of(user, organisation) -> list[StarChange]:
    return list(
        StarChange.objects.visible_to(user).filter(organisation=organisation).order_by("-year", "-pk")
    )


def objections_of(rating: StarRating):
    return Objection.objects.filter(rating=rating).order_by("pk")


def appeals_of(rating: StarRating):
    return Appeal.objects.filter(rating=rating).order_by("pk")


def pending_appeal(rating: StarRating) -> Appeal | None:
    return appeals_of(rating).filter(decision=AppealDecision.PENDING).first()


def open_objection(rating: StarRating) -> Objection | None:
    return objections_of(rating).filter(upheld__isnull=True).first()


def todo_counts(user) -> dict[str, int]:
    """Ratings waiting for this user's step, SQL aggregates over the scope: self-assessments to review (an
    organisation strictly below one of the user's roots), reviewed ratings and pending appeals of the sets the
    user's level owns."""
    scope = scope_of(user)
    roots = scope.paths_for(Action.CHANGE)
    if not scope.is_superuser and not roots:
        return {"self_done": 0, "reviewed": 0, "appeals": 0}
    ratings = StarRating.objects.visible_to(user, Action.CHANGE)
    owned = Q()
    if not scope.is_superuser:
        owned = Q(pk__in=[])
        for root in roots:
            owned |= Q(indicator_set__org_path__startswith=root)
    return {
        "self_done": ratings.filter(status=RatingStatus.SELF).exclude(org_path__in=roots).count(),
        **ratings.filter(owned).aggregate(
            reviewed=Count("pk", filter=Q(status=RatingStatus.REVIEWED), distinct=True),
            appeals=Count("appeals", filter=Q(appeals__decision=AppealDecision.PENDING), distinct=True),
        ),
    }


def todos(user) -> list[dict]:
    counts = todo_counts(user)
    url = reverse("assessment:home")
    texts = {
        "self_done": ("info", "{n} 个星级自评待上级审核"),
        "reviewed": ("warning", "{n} 个星级待党委决定"),
        "appeals": ("danger", "{n} 个星级申诉待决定"),
    }
    return [
        {
            "level": level,
            "text": text.format(n=counts[key]),
            "url": url,
            "count": counts[key],
            "module": "assessment",
        }
        for key, (level, text) in texts.items()
        if counts[key]
    ]


def set_or_404(user, pk) -> IndicatorSet:
    found = sets_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("未找到该记录，或您无权查看")
    return found


def run_or_404(user, pk) -> ScoringRun:
    found = (
        ScoringRun.objects.filter(pk=pk).select_related("indicator_set").first()
        if str(pk).isdigit()
        else None
    )
    if found is None or not sets_for(user).filter(pk=found.indicator_set_id).exists():
        raise Http404("未找到该记录，或您无权查看")
    if not runs_for(user, found.indicator_set).filter(pk=found.pk).exists():
        raise Http404("未找到该记录，或您无权查看")
    return found


def flags_of(user, year: int, root_path: str = ""):
    flags = WeakFlag.objects.visible_to(user).filter(year=year).select_related("plan")
    return flags.filter(org_path__startswith=root_path) if root_path else flags


def criteria_of(organisation, year: int):
    return WeakCriterion.objects.filter(organisation=organisation, year=year).order_by("code")


def reports_of(user, year: int | None = None):
    reports = SecretaryReport.objects.visible_to(user).select_related("organisation")
    return reports.filter(year=year) if year else reports


def violations_of(user, root_path: str = ""):
    rows = AccountabilityCase.objects.visible_to(user)
    return rows.filter(org_path__startswith=root_path) if root_path else rows


def violations_by_person(rows) -> list[dict]:
    """Per responsible person and organisation: how many violations, how many still undecided (one query)."""
    return list(
        rows.order_by()
        .values("responsible", "org_name")
        .annotate(total=Count("pk"), pending=Count("pk", filter=Q(decision="")))
        .order_by("-pending", "-total", "responsible")
    )


def nominations_of(user):
    return Nomination.objects.visible_to(user).select_related("organisation")


def awards_of_member(member) -> list[Nomination]:
    """Awards on a member's record (for the member page; the caller has read the member through the scope)."""
    return list(
        Nomination.objects.filter(member=member, status=NominationStatus.AWARDED).order_by(
            "-awarded_on", "-pk"
        )
    )


def awards_of_org(organisation) -> list[Nomination]:
    """Awards to an organisation or its teams (the caller has read the organisation through the scope)."""
    return list(
        Nomination.objects.filter(
            organisation=organisation, member__isnull=True, status=NominationStatus.AWARDED
        ).order_by("-awarded_on", "-pk")
    )

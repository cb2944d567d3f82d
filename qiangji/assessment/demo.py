"""Demo history of the assessment app (registered with the generator, `qiangji generate --history` and
`qiangji demo`): for every county of the generated tree, the documented example indicator set of the year
(docs/rules.md §6), a published scoring run computed from the records the other apps' histories wrote
(set-wise, `scoring.compute`), final star ratings within the five-star quota, the example weak-organisation
criteria and the branches they flag.  At province scale the same runs county by county.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from qiangji.assessment import scoring, weak
from qiangji.assessment.choices import IndicatorKind, RatingStatus, RunStatus
from qiangji.assessment.models import (
    Indicator,
    IndicatorSet,
    Quota,
    Score,
    ScoringRun,
    StarChange,
    StarRating,
    StarThreshold,
    WeakCriterion,
    WeakFlag,
)
from qiangji.assessment.services.runs import store_scores
from qiangji.assessment.services.sets import (
    EXAMPLE_FIVE_STAR_PERCENT,
    EXAMPLE_INDICATORS,
    EXAMPLE_SOURCE,
    EXAMPLE_THRESHOLDS,
)
from qiangji.orgs.models import Grant, Organisation
from qiangji.tooling.generate.history import register


def example_set(county: Organisation, year: int) -> IndicatorSet:
    indicator_set = IndicatorSet.objects.create(
        organisation=county,
        org_path=county.path,
        region_code=county.region_code,
        name="党支部星级评定（示例指标体系）",
        year=year,
        source=EXAMPLE_SOURCE,
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                indicator_set=indicator_set,
                org_path=county.path,
                region_code=county.region_code,
                code=code,
                name=name,
                kind=IndicatorKind.COMPUTED if key else IndicatorKind.MANUAL,
                source_key=key,
                weight=weight,
                target=target,
                floor=floor,
                position=position,
                source=EXAMPLE_SOURCE,
            )
            for position, (code, name, key, weight, target, floor) in enumerate(EXAMPLE_INDICATORS)
        ]
    )
    StarThreshold.objects.bulk_create(
        [
            StarThreshold(indicator_set=indicator_set, org_path=county.path, stars=stars, min_points=points)
            for stars, points in EXAMPLE_THRESHOLDS
        ]
    )
    Quota.objects.create(
        indicator_set=indicator_set,
        organisation=county,
        org_path=county.path,
        stars=5,
        max_percent=EXAMPLE_FIVE_STAR_PERCENT,
        source=EXAMPLE_SOURCE,
    )
    return indicator_set


def rate(indicator_set: IndicatorSet, run: ScoringRun, user, on) -> int:
    """Final ratings = the computed stars, five stars only for the best within the quota (others get four)."""
    scores = list(Score.objects.filter(run=run).order_by("-total", "org_path"))
    allowed = EXAMPLE_FIVE_STAR_PERCENT * len(scores) // 100
    ratings = []
    for score in scores:
        stars = score.stars
        if stars == 5:
            stars = 5 if allowed > 0 else 4
            allowed -= stars == 5
        ratings.append(
            StarRating(
                indicator_set=indicator_set,
                organisation_id=score.organisation_id,
                org_path=score.org_path,
                region_code=score.region_code,
                score=score,
                status=RatingStatus.FINAL,
                self_stars=score.stars,
                self_note="演示数据：按得分自评",
                self_by=user,
                review_stars=stars,
                review_note="演示数据",
                reviewed_by=user,
                decided_stars=stars,
                decision_note="演示数据",
                decided_by=user,
                notice_starts=on,
                notice_ends=on,
                final_stars=stars,
                finalised_on=on,
            )
        )
    StarRating.objects.bulk_create(ratings, batch_size=2000)
    StarChange.objects.bulk_create(
        [
            StarChange(
                organisation_id=r.organisation_id,
                rating=r,
                org_path=r.org_path,
                region_code=r.region_code,
                year=indicator_set.year,
                to_stars=r.final_stars,
                changed_on=on,
                reason="年度评定（演示数据）",
            )
            for r in ratings
        ],
        batch_size=2000,
    )
    return len(ratings)


def flag_weak(county: Organisation, year: int, as_of) -> int:
    WeakCriterion.objects.bulk_create(
        [
            WeakCriterion(
                organisation=county,
                org_path=county.path,
                region_code=county.region_code,
                year=year,
                code=code,
                parameter=value,
                source=source,
            )
            for code, (value, _unit, source) in weak.DEFAULTS.items()
        ]
    )
    found = weak.detect(county, year, as_of)
    names = dict(Organisation.objects.filter(pk__in=list(found)).values_list("pk", "name"))
    paths = dict(Organisation.objects.filter(pk__in=list(found)).values_list("pk", "path"))
    WeakFlag.objects.bulk_create(
        [
            WeakFlag(
                organisation_id=oid,
                level=county,
                org_name=names[oid][:200],
                year=year,
                reasons=reasons,
                detected_on=as_of,
                org_path=paths[oid],
                region_code=county.region_code,
            )
            for oid, reasons in found.items()
        ],
        batch_size=2000,
    )
    return len(found)


def finish(ctx) -> None:
    year, as_of = ctx.as_of.year, ctx.as_of
    counties = Organisation.objects.filter(path__startswith=ctx.root.path, depth=3, dissolved_on__isnull=True)
    superuser = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    totals = {"assessment_scores": 0, "assessment_ratings": 0, "assessment_weak": 0}
    for county in counties.order_by("path"):
        if IndicatorSet.objects.filter(organisation=county, year=year).exists():
            continue
        indicator_set = example_set(county, year)
        computed = scoring.compute(indicator_set, as_of)
        run = ScoringRun.objects.create(
            indicator_set=indicator_set,
            org_path=county.path,
            region_code=county.region_code,
            as_of=as_of,
            org_count=len(computed),
            status=RunStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        store_scores(run, computed)
        totals["assessment_scores"] += len(computed)
        grant = Grant.objects.filter(organisation=county).select_related("user").first()
        user = grant.user if grant else superuser
        if user is not None:
            totals["assessment_ratings"] += rate(indicator_set, run, user, as_of)
        totals["assessment_weak"] += flag_weak(county, year, as_of)
    for key, value in totals.items():
        ctx.result.counts[key] = ctx.result.counts.get(key, 0) + value


register(
    "assessment",
    order=90,
    finish=finish,
    tables={"考核得分": (Score, "org_path")},
)

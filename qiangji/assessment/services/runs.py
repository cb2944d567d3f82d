"""Scoring runs: compute a set's scores (a draft, the preview of the distribution), then publish it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.assessment import scoring
from qiangji.assessment.choices import RunStatus
from qiangji.assessment.models import IndicatorSet, Score, ScoreLine, ScoringRun
from qiangji.assessment.services.base import require_set_level
from qiangji.core import audit
from qiangji.core.dates import today

BATCH = 5000


def store_scores(run: ScoringRun, computed: list[scoring.Computed]) -> None:
    """Bulk-insert the scores and their lines (a few INSERTs per 5,000 organisations)."""
    for start in range(0, len(computed), BATCH):
        chunk = computed[start : start + BATCH]
        scores = Score.objects.bulk_create(
            [
                Score(
                    run=run,
                    organisation_id=c.org_id,
                    org_path=c.org_path,
                    region_code=c.region_code,
                    org_name=c.org_name[:200],
                    base_points=c.base_points,
                    bonus=c.bonus,
                    deduction=c.deduction,
                    total=c.total,
                    vetoed=c.vetoed,
                    stars=c.stars,
                )
                for c in chunk
            ]
        )
        ScoreLine.objects.bulk_create(
            [
                ScoreLine(
                    score=score,
                    indicator=line.indicator,
                    adjustment=line.adjustment,
                    kind=line.kind,
                    label=line.label[:255],
                    numerator=line.numerator,
                    denominator=line.denominator,
                    value=line.value,
                    points=line.points,
                    max_points=line.max_points,
                )
                for score, c in zip(scores, chunk, strict=True)
                for line in c.lines
            ],
            batch_size=BATCH,
        )


@transaction.atomic
def compute_run(*, actor, indicator_set: IndicatorSet, as_of: datetime.date | None = None) -> ScoringRun:
    require_set_level(actor, indicator_set)
    if not indicator_set.indicators.exists():
        raise ValidationError({"indicator_set": "指标体系还没有指标"})
    if not indicator_set.thresholds.exists():
        raise ValidationError({"indicator_set": "指标体系还没有星级分数线"})
    as_of = as_of or today()
    computed = scoring.compute(indicator_set, as_of)
    run = ScoringRun.objects.create(
        indicator_set=indicator_set,
        org_path=indicator_set.org_path,
        region_code=indicator_set.region_code,
        as_of=as_of,
        org_count=len(computed),
        created_by=actor if actor is not None and actor.pk else None,
    )
    store_scores(run, computed)
    audit.record(
        actor=actor,
        action="assessment.run.computed",
        target=run,
        org_path=indicator_set.org_path,
        after={"as_of": as_of, "org_count": len(computed)},
    )
    return run


@transaction.atomic
def publish_run(*, actor, run: ScoringRun) -> ScoringRun:
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    require_set_level(actor, run.indicator_set, "run")
    if run.status != RunStatus.DRAFT:
        raise ValidationError({"run": "该次计算已发布"})
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.run.published",
        target=run,
        org_path=run.org_path,
        after={"org_count": run.org_count},
    )
    return run

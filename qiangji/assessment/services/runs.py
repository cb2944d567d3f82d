"""Scoring runs: compute a set's scores (a draft, the preview of the distribution), then publish it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from qiangji.assessment import scoring
from qiangji.assessment.choices import RunStatus
from qiangji.assessment.models import IndicatorSet, Score, ScoreLine, ScoringRun
from qiangji.assessment.services.base import require_set_level
from qiangji.core import audit
from qiangji.core.dates import today

BATCH = 5000


SCORE_COLUMNS = (
    "id, run_id, organisation_id, org_path, region_code, org_name, base_points, bonus, deduction, total, vetoed, "
    "stars, created_at, updated_at"
)
LINE_COLUMNS = (
    "score_id, indicator_id, adjustment_id, kind, label, numerator, denominator, value, points, max_points"
)


def _copy_scores(run: ScoringRun, computed: list[scoring.Computed]) -> None:
    """PostgreSQL: ids drawn from the sequence in one statement, then one COPY for scores and one for lines."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('assessment_score', 'id')) FROM generate_series(1, %s)",
            [len(computed)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor
        with raw.copy(f"COPY assessment_score ({SCORE_COLUMNS}) FROM STDIN") as copy:
            for sid, c in zip(ids, computed, strict=True):
                copy.write_row(
                    (
                        sid,
                        run.pk,
                        c.org_id,
                        c.org_path,
                        c.region_code,
                        c.org_name[:200],
                        c.base_points,
                        c.bonus,
                        c.deduction,
                        c.total,
                        c.vetoed,
                        c.stars,
                        now,
                        now,
                    )
                )
        with raw.copy(f"COPY assessment_scoreline ({LINE_COLUMNS}) FROM STDIN") as copy:
            for sid, c in zip(ids, computed, strict=True):
                for line in c.lines:
                    copy.write_row(
                        (
                            sid,
                            line.indicator.pk if line.indicator else None,
                            line.adjustment.pk if line.adjustment else None,
                            line.kind,
                            line.label[:255],
                            line.numerator,
                            line.denominator,
                            line.value,
                            line.points,
                            line.max_points,
                        )
                    )


def store_scores(run: ScoringRun, computed: list[scoring.Computed]) -> None:
    """Store the scores and their lines: COPY on PostgreSQL, else bulk INSERTs per 5,000 organisations."""
    if connection.vendor == "postgresql" and computed:
        _copy_scores(run, computed)
        return
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

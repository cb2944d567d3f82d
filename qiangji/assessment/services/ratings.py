"""Star ratings: self-assessment → higher review → committee decision (quotas) → public notice with
objections → final star; appeals within the window; the history of changes (docs/rules.md §6)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.assessment.choices import AppealDecision, RatingStatus, RunStatus
from qiangji.assessment.models import Appeal, Objection, Quota, Score, StarChange, StarRating
from qiangji.assessment.services.base import (
    require_above,
    require_in_scope,
    require_set_level,
    require_stars,
    require_text,
)
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today

RULE_VETO = "有一票否决事项的组织不得评星（docs/rules.md §6 加减分与一票否决，本地示例办法）"


def _lock(rating: StarRating) -> StarRating:
    return (
        StarRating.objects.select_for_update()
        .select_related("indicator_set", "organisation", "score")
        .get(pk=rating.pk)
    )


def _require_status(rating: StarRating, *statuses: str) -> None:
    if rating.status not in statuses:
        labels = "、".join(str(RatingStatus(s).label) for s in statuses)
        raise ValidationError(
            {"status": f"当前状态为“{rating.get_status_display()}”，此操作须在“{labels}”时进行"}
        )


def _effective(rating: StarRating) -> int | None:
    return rating.final_stars if rating.status == RatingStatus.FINAL else rating.decided_stars


def quota_room(rating: StarRating, stars: int) -> list[str]:
    """Messages for every quota the decision would exceed (empty: within all quotas).

    A quota of p % at a level allows floor(p × N / 100) organisations of the star, N being the organisations
    of the set scored under that level in the rating's run; "at" the limit is allowed, one over is refused."""
    problems = []
    quotas = Quota.objects.filter(indicator_set=rating.indicator_set, stars=stars).select_related(
        "organisation"
    )
    for quota in quotas:
        if not rating.org_path.startswith(quota.org_path):
            continue
        population = Score.objects.filter(
            run=rating.score.run_id, org_path__startswith=quota.org_path
        ).count()
        taken = 0
        others = StarRating.objects.filter(
            indicator_set=rating.indicator_set, org_path__startswith=quota.org_path
        )
        for final, decided, status in others.exclude(pk=rating.pk).values_list(
            "final_stars", "decided_stars", "status"
        ):
            if (final if status == RatingStatus.FINAL else decided) == stars:
                taken += 1
        allowed = quota.max_percent * population // 100
        if taken + 1 > allowed:
            problems.append(
                f"{quota.organisation.name}设定{stars}星级不超过{quota.max_percent}%（{population}个组织中最多"
                f"{allowed}个，已定{taken}个）；依据：{quota.source}"
            )
    return problems


def _check_decision(rating: StarRating, stars: int, field: str) -> None:
    if rating.score.vetoed and stars > 0:
        raise ValidationError({field: RULE_VETO})
    problems = quota_room(rating, stars) if stars > 0 else []
    if problems:
        raise ValidationError({field: "超出星级比例上限：" + "；".join(problems)})


def _previous_stars(indicator_set, organisation) -> int | None:
    row = (
        StarRating.objects.filter(
            organisation=organisation, indicator_set__year=indicator_set.year - 1, status=RatingStatus.FINAL
        )
        .order_by("-finalised_on")
        .values_list("final_stars", flat=True)
        .first()
    )
    return row


@transaction.atomic
def self_assess(*, actor, score: Score, stars: int, note: str) -> StarRating:
    """The organisation (or a level above it) rates itself against a PUBLISHED score."""
    require_in_scope(actor, score.org_path, Action.CHANGE)
    require_stars(stars, "self_stars")
    note = require_text(note, "self_note", "自评说明")
    if score.run.status != RunStatus.PUBLISHED:
        raise ValidationError({"score": "得分尚未发布，不能自评"})
    indicator_set = score.run.indicator_set
    existing = (
        StarRating.objects.select_for_update()
        .filter(indicator_set=indicator_set, organisation_id=score.organisation_id)
        .first()
    )
    if existing is not None and existing.status != RatingStatus.SELF:
        raise ValidationError({"self_stars": "上级已审核，不能再修改自评"})
    rating = existing or StarRating(
        indicator_set=indicator_set,
        organisation_id=score.organisation_id,
        org_path=score.org_path,
        region_code=score.region_code,
    )
    rating.score, rating.self_stars, rating.self_note, rating.self_by = score, stars, note, actor
    rating.previous_stars = _previous_stars(indicator_set, score.organisation_id)
    rating.save()
    audit.record(
        actor=actor,
        action="assessment.rating.self_assessed",
        target=rating,
        org_path=rating.org_path,
        after={"stars": stars, "score": score.total},
    )
    return rating


@transaction.atomic
def review_rating(*, actor, rating: StarRating, stars: int, note: str) -> StarRating:
    rating = _lock(rating)
    require_above(actor, rating.organisation, "review_stars")
    _require_status(rating, RatingStatus.SELF, RatingStatus.REVIEWED)
    require_stars(stars, "review_stars")
    rating.review_note = require_text(note, "review_note", "审核意见")
    rating.review_stars, rating.reviewed_by, rating.status = stars, actor, RatingStatus.REVIEWED
    rating.save()
    audit.record(
        actor=actor,
        action="assessment.rating.reviewed",
        target=rating,
        org_path=rating.org_path,
        after={"stars": stars},
    )
    return rating


@transaction.atomic
def decide_rating(*, actor, rating: StarRating, stars: int, note: str) -> StarRating:
    """The committee that set the indicators decides; its quotas are enforced here."""
    rating = _lock(rating)
    require_set_level(actor, rating.indicator_set, "decided_stars")
    require_above(actor, rating.organisation, "decided_stars")
    _require_status(rating, RatingStatus.REVIEWED, RatingStatus.DECIDED)
    require_stars(stars, "decided_stars")
    rating.decision_note = require_text(note, "decision_note", "决定说明")
    _check_decision(rating, stars, "decided_stars")
    rating.decided_stars, rating.decided_by, rating.status = stars, actor, RatingStatus.DECIDED
    rating.save()
    audit.record(
        actor=actor,
        action="assessment.rating.decided",
        target=rating,
        org_path=rating.org_path,
        after={"stars": stars},
    )
    return rating


@transaction.atomic
def open_notice(*, actor, rating: StarRating, starts_on: datetime.date | None = None) -> StarRating:
    rating = _lock(rating)
    require_set_level(actor, rating.indicator_set, "notice_starts")
    _require_status(rating, RatingStatus.DECIDED)
    starts_on = starts_on or today()
    rating.notice_starts = starts_on
    rating.notice_ends = starts_on + datetime.timedelta(days=rating.indicator_set.notice_days - 1)
    rating.status = RatingStatus.NOTICE
    rating.save()
    audit.record(
        actor=actor,
        action="assessment.rating.noticed",
        target=rating,
        org_path=rating.org_path,
        after={"starts": starts_on, "ends": rating.notice_ends},
    )
    return rating


@transaction.atomic
def raise_objection(*, actor, rating: StarRating, text: str, on: datetime.date | None = None) -> Objection:
    rating = _lock(rating)
    require_in_scope(actor, rating.org_path, Action.VIEW)
    _require_status(rating, RatingStatus.NOTICE)
    on = on or today()
    assert rating.notice_starts is not None and rating.notice_ends is not None
    if not rating.notice_starts <= on <= rating.notice_ends:
        raise ValidationError(
            {
                "text": f"异议须在公示期内（{rating.notice_starts:%Y-%m-%d}至{rating.notice_ends:%Y-%m-%d}）提出"
            }
        )
    objection = Objection.objects.create(
        rating=rating,
        org_path=rating.org_path,
        region_code=rating.region_code,
        text=require_text(text, "text", "异议内容"),
        raised_on=on,
        raised_by=actor,
    )
    audit.record(
        actor=actor,
        action="assessment.objection.raised",
        target=rating,
        org_path=rating.org_path,
        after={"text": objection.text},
    )
    return objection


@transaction.atomic
def resolve_objection(
    *, actor, objection: Objection, upheld: bool, resolution: str, stars: int | None = None
) -> Objection:
    """An upheld objection changes the decided star (within the quotas); either way the reason is kept."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    rating = _lock(objection.rating)
    require_set_level(actor, rating.indicator_set, "resolution")
    if objection.upheld is not None:
        raise ValidationError({"resolution": "该异议已处理"})
    objection.resolution = require_text(resolution, "resolution", "处理意见")
    if upheld:
        require_stars(stars, "stars")
        assert stars is not None
        _check_decision(rating, stars, "stars")
        rating.decided_stars = stars
        rating.save()
    objection.upheld, objection.resolved_by = bool(upheld), actor
    objection.save()
    audit.record(
        actor=actor,
        action="assessment.objection.resolved",
        target=rating,
        org_path=rating.org_path,
        after={"upheld": bool(upheld), "stars": rating.decided_stars},
    )
    return objection


@transaction.atomic
def finalise_rating(*, actor, rating: StarRating, on: datetime.date | None = None) -> StarRating:
    rating = _lock(rating)
    require_set_level(actor, rating.indicator_set, "status")
    _require_status(rating, RatingStatus.NOTICE)
    on = on or today()
    assert rating.notice_ends is not None and rating.decided_stars is not None
    if on <= rating.notice_ends:
        raise ValidationError({"status": f"公示期至{rating.notice_ends:%Y-%m-%d}，期满后才能确定星级"})
    if rating.objections.filter(upheld__isnull=True).exists():
        raise ValidationError({"status": "还有未处理的异议"})
    rating.final_stars, rating.finalised_on, rating.status = rating.decided_stars, on, RatingStatus.FINAL
    rating.save()
    StarChange.objects.create(
        organisation_id=rating.organisation_id,
        rating=rating,
        org_path=rating.org_path,
        region_code=rating.region_code,
        year=rating.indicator_set.year,
        from_stars=rating.previous_stars,
        to_stars=rating.final_stars,
        changed_on=on,
        reason="年度评定",
    )
    audit.record(
        actor=actor,
        action="assessment.rating.finalised",
        target=rating,
        org_path=rating.org_path,
        after={"stars": rating.final_stars},
    )
    return rating


def appeal_deadline(rating: StarRating) -> datetime.date | None:
    if rating.finalised_on is None:
        return None
    return rating.finalised_on + datetime.timedelta(days=rating.indicator_set.appeal_days)


@transaction.atomic
def file_appeal(*, actor, rating: StarRating, reason: str, on: datetime.date | None = None) -> Appeal:
    """The organisation appeals its final star within `appeal_days` days of the decision (the last day included)."""
    rating = _lock(rating)
    require_in_scope(actor, rating.org_path, Action.CHANGE)
    _require_status(rating, RatingStatus.FINAL)
    on = on or today()
    deadline = appeal_deadline(rating)
    assert deadline is not None
    if on > deadline:
        raise ValidationError(
            {
                "reason": f"申诉期限为确定星级后{rating.indicator_set.appeal_days}天（至{deadline:%Y-%m-%d}），已过期"
            }
        )
    if rating.appeals.filter(decision=AppealDecision.PENDING).exists():
        raise ValidationError({"reason": "已有待决定的申诉"})
    appeal = Appeal.objects.create(
        rating=rating,
        org_path=rating.org_path,
        region_code=rating.region_code,
        filed_on=on,
        reason=require_text(reason, "reason", "申诉理由"),
        filed_by=actor,
    )
    audit.record(
        actor=actor,
        action="assessment.appeal.filed",
        target=rating,
        org_path=rating.org_path,
        after={"reason": appeal.reason},
    )
    return appeal


@transaction.atomic
def decide_appeal(
    *,
    actor,
    appeal: Appeal,
    decision: str,
    reason: str,
    stars: int | None = None,
    on: datetime.date | None = None,
) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    rating = _lock(appeal.rating)
    require_set_level(actor, rating.indicator_set, "decision")
    if appeal.decision != AppealDecision.PENDING:
        raise ValidationError({"decision": "该申诉已决定"})
    if decision not in (AppealDecision.UPHELD, AppealDecision.REJECTED):
        raise ValidationError({"decision": "请选择申诉成立或不成立"})
    appeal.decision_reason = require_text(reason, "decision_reason", "决定理由")
    on = on or today()
    if decision == AppealDecision.UPHELD:
        require_stars(stars, "decided_stars")
        assert stars is not None
        if stars == rating.final_stars:
            raise ValidationError({"decided_stars": "申诉成立须改定星级"})
        _check_decision(rating, stars, "decided_stars")
        StarChange.objects.create(
            organisation_id=rating.organisation_id,
            rating=rating,
            org_path=rating.org_path,
            region_code=rating.region_code,
            year=rating.indicator_set.year,
            from_stars=rating.final_stars,
            to_stars=stars,
            changed_on=on,
            reason=f"申诉成立：{appeal.decision_reason}"[:255],
        )
        rating.final_stars = rating.decided_stars = stars
        rating.save()
        appeal.decided_stars = stars
    appeal.decision, appeal.decided_by, appeal.decided_on = decision, actor, on
    appeal.save()
    audit.record(
        actor=actor,
        action="assessment.appeal.decided",
        target=rating,
        org_path=rating.org_path,
        after={"decision": decision, "stars": rating.final_stars, "reason": appeal.decision_reason},
    )
    return appeal

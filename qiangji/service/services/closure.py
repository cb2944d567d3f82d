"""Closure: the requester confirms (one tap from the signed link) with 已解决/部分解决/未解决 and
满意/基本满意/不满意; an unsolved or unsatisfied answer reopens it once and tells the unit; no answer in N days
closes it as 未评价 (`close_unrated`, set-wise); only the requester or staff can close it."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND, scope_of
from qiangji.service.choices import EventKind, Outcome, Phase, Rating, Status
from qiangji.service.models import Request, RequestEvent
from qiangji.service.services import base


def _lock(request) -> Request:
    found = (
        Request.objects.select_for_update(of=("self",))  # the nullable joins stay unlocked (PostgreSQL)
        .select_related("category", "current_org", "first_org")
        .filter(pk=getattr(request, "pk", request))
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@transaction.atomic
def confirm(*, request, access_key: str, outcome: str, rating: str, comment: str = "", at=None) -> Request:
    """The requester's answer, authorised by the request's key (carried by the signed link)."""
    request = _lock(request)
    if not access_key or not secrets.compare_digest(request.access_key, str(access_key)):
        raise Http404(NOT_FOUND)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择解决情况：已解决、部分解决或未解决"})
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise ValidationError({"rating": "请选择满意、基本满意或不满意"})
    comment = base.clean_text(comment, "comment", "评价意见", max_length=500, required=False)
    if request.phase != Phase.ANSWERED:
        raise ValidationError({"outcome": "诉求尚未答复，或已评价"})
    at = at or base.now()
    unhappy = outcome == Outcome.UNSOLVED or rating == Rating.UNSATISFIED
    line = f"{Outcome(outcome).label}，{Rating(rating).label}" + (f"：{comment}" if comment else "")
    if unhappy and request.reopened < base.rule("reopen_max", 1):
        request.reopened += 1
        request.phase = Phase.IN_PROGRESS
        request.status = Status.OPEN
        request.assigned_at = at
        request.due_at = base.due_for(request.category, at)
        request.final_due_at = request.due_at
        request.last_progress_at = at
        request.save()
        base.event(request, EventKind.CONFIRMED, text=line, actor=None, at=at)
        base.event(
            request, EventKind.REOPENED, text=f"诉求人{line}，退回{request.current_org.name}重新办理", at=at
        )
        base.notify_units(request, f"诉求{request.number}诉求人不满意，已重新办理", line)
        action = "reopened"
    else:
        request.outcome = outcome
        request.rating = rating
        request.rating_comment = comment
        request.phase = Phase.CLOSED
        request.status = Status.CLOSED
        request.closed_at = at
        request.save()
        base.event(request, EventKind.CONFIRMED, text=line, actor=None, at=at)
        if unhappy:
            base.notify_units(request, f"诉求{request.number}诉求人不满意（已重办过），按评价办结", line)
        action = "closed"
    audit.record(
        actor=None,
        action="service.request.confirmed",
        target=request,
        org_path=request.org_path,
        after={"outcome": outcome, "rating": rating, "result": action},
    )
    return request


def close_by_staff(*, actor, request, reason: str) -> Request:
    """Staff of the request's line close it with a reason; anyone else is refused, and the refusal is
    recorded (in its own transaction, so it stays when the refusal is raised)."""
    found = (
        Request.objects.filter(pk=getattr(request, "pk", request)).first()
        if str(getattr(request, "pk", request)).isdigit()
        else None
    )
    if found is None:
        raise Http404(NOT_FOUND)
    scope = scope_of(actor)
    if not (scope.allows(Action.CHANGE, found.org_path) or scope.allows(Action.CHANGE, found.current_path)):
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="service.request.close_refused",
                target=found,
                org_path=found.org_path,
                after={"reason": "非诉求人、非承办单位工作人员"},
            )
        if not Request.objects.visible_to(actor).filter(pk=found.pk).exists():
            raise Http404(NOT_FOUND)
        raise ValidationError(
            {"request": "只有诉求人或承办单位工作人员可以办结诉求（docs/rules.md §8，首办负责）"}
        )
    return _close_by_staff(actor=actor, request=found, reason=reason)


@transaction.atomic
def _close_by_staff(*, actor, request, reason: str) -> Request:
    request = _lock(request)
    reason = base.clean_text(reason, "reason", "办结说明", max_length=500)
    if request.status == Status.CLOSED:
        raise ValidationError({"request": "诉求已办结"})
    at = base.now()
    request.status = Status.CLOSED
    request.phase = Phase.CLOSED
    request.closed_at = at
    request.rating = Rating.UNRATED
    if request.answered_at is None:
        request.answered_at = at
        request.on_time = at <= request.final_due_at
    request.save()
    base.event(request, EventKind.CLOSED_BY_STAFF, text=reason, actor=actor, at=at)
    audit.record(
        actor=actor,
        action="service.request.closed_by_staff",
        target=request,
        org_path=request.org_path,
        after={"reason": reason},
    )
    return request


@transaction.atomic
def close_unrated(*, at=None) -> int:
    """Answered requests without the requester's answer in N days close as 未评价 (set-wise, idempotent)."""
    at = at or base.now()
    days = base.rule("confirm_days", 7)
    mark = secrets.randbelow(2**62) + 1
    count = Request.objects.filter(
        phase=Phase.ANSWERED, answered_at__lt=at - datetime.timedelta(days=days)
    ).update(status=Status.CLOSED, phase=Phase.CLOSED, rating=Rating.UNRATED, closed_at=at, sweep_mark=mark)
    if count:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {RequestEvent._meta.db_table} "
                "(request_id, at, kind, phase, tier, org_name, actor_name, text) "
                "SELECT r.id, r.closed_at, %s, r.phase, r.tier, '', %s, %s "
                f"FROM {Request._meta.db_table} r WHERE r.sweep_mark = %s",
                [EventKind.UNRATED, "系统", f"答复后{days}天内诉求人未评价，按“未评价”办结", mark],
            )
        audit.record(
            actor=None, action="service.request.unrated", target_repr=f"{count}件诉求", after={"count": count}
        )
    return count

"""The ladder: 小区解决一批、社区协调一批、街道统筹一批、部门认领一批 (docs/rules.md §8).

A request climbs one step up the organisation tree when its tier's limit lapses (`escalate_lapsed`, the
periodic sweep: a few set-wise UPDATE statements and one INSERT … SELECT for the history, never a loop over
requests) or when the tier blows the whistle (`whistle`, 吹哨, with its reason). A department claims it; the
first unit stays responsible for replying; what no unit takes stays with the district."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Length, Substr
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND, PATH_STEP, get_in_scope_or_404, scope_of
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.service.choices import NEXT_TIER, EventKind, Phase, Status, Tier, WorkKind
from qiangji.service.models import Category, Department, Request, RequestEvent, WorkRecord
from qiangji.service.services import base

SWEPT_PHASES = (Phase.PENDING, Phase.IN_PROGRESS)


def _locked(actor, request, action=Action.CHANGE) -> Request:
    return get_in_scope_or_404(
        Request,
        actor,
        request,
        action,
        lock=True,
        queryset=Request.objects.select_related("category", "current_org"),
    )


def _parent(org: Organisation) -> Organisation | None:
    if len(org.path) <= PATH_STEP:
        return None
    return Organisation.objects.filter(path=org.path[:-PATH_STEP]).first()


def _climb(request: Request, *, at) -> Organisation:
    if request.tier not in NEXT_TIER:
        raise ValidationError(
            {"request": f"诉求已在{request.get_tier_display()}，没有更高一级可上报，请部门认领或本级办理"}
        )
    parent = _parent(request.current_org)
    if parent is None:
        raise ValidationError({"request": "没有上一级党组织可上报"})
    request.tier = NEXT_TIER[request.tier]
    request.current_org = parent
    request.current_path = parent.path
    request.assigned_at = at
    request.due_at = base.due_for(request.category, at)
    request.escalations += 1
    request.escalated_at = at
    request.phase = Phase.PENDING
    return parent


@transaction.atomic
def escalate_lapsed(*, at=None) -> int:
    """Every open request whose tier's limit has lapsed climbs one tier (set-wise; idempotent: a climbed
    request has a fresh limit, so running again at the same time changes nothing)."""
    at = at or base.now()
    categories = list(Category.objects.all())
    if not categories:
        return 0
    new_due = Case(
        *(When(category_id=c.pk, then=Value(base.due_for(c, at))) for c in categories),
        default=F("due_at"),
    )
    parent_path = Substr(OuterRef("current_path"), 1, Length(OuterRef("current_path")) - PATH_STEP)
    parent_id = Subquery(Organisation.objects.filter(path=parent_path).values("pk")[:1])
    mark = secrets.randbelow(2**62) + 1
    total = 0
    for tier, next_tier in NEXT_TIER.items():
        total += Request.objects.filter(
            status=Status.OPEN,
            phase__in=SWEPT_PHASES,
            paused_at__isnull=True,
            tier=tier,
            due_at__lt=at,
        ).update(
            tier=next_tier,
            current_org_id=parent_id,
            current_path=Substr("current_path", 1, Length("current_path") - PATH_STEP),
            due_at=new_due,
            assigned_at=Value(at),
            escalated_at=Value(at),
            escalations=F("escalations") + 1,
            phase=Phase.PENDING,
            sweep_mark=mark,
        )
    if total:
        labels = " ".join(f"WHEN '{value}' THEN '{label}'" for value, label in Tier.choices)
        event_table = RequestEvent._meta.db_table
        request_table = Request._meta.db_table
        org_table = Organisation._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {event_table} (request_id, at, kind, phase, tier, org_name, actor_name, text) "
                f"SELECT r.id, r.escalated_at, %s, r.phase, r.tier, o.name, %s, "
                f"%s || o.name || '（' || CASE r.tier {labels} ELSE '' END || '）' "
                f"FROM {request_table} r JOIN {org_table} o ON o.id = r.current_org_id WHERE r.sweep_mark = %s",
                [EventKind.ESCALATED, "系统", "本级办理期限已过，自动上报至", mark],
            )
        audit.record(
            actor=None,
            action="service.request.escalated",
            target_repr=f"{total}件诉求",
            after={"count": total, "at": at},
        )
    return total


@transaction.atomic
def whistle(*, actor, request, reason: str, at=None) -> Request:
    """吹哨: the tier handling it cannot solve it here; it climbs one tier with the reason in its history."""
    request = _locked(actor, request)
    base.require_open(request)
    reason = base.clean_text(reason, "reason", "无法在本级解决的原因", max_length=500)
    at = at or base.now()
    before = {"tier": request.tier, "org": request.current_org_id}
    from_name = request.current_org.name
    parent = _climb(request, at=at)
    request.save()
    base.event(
        request, EventKind.WHISTLE, text=f"{from_name}：{reason}；上报至{parent.name}", actor=actor, at=at
    )
    audit.record(
        actor=actor,
        action="service.request.whistle",
        target=request,
        org_path=request.org_path,
        before=before,
        after={"tier": request.tier, "org": parent.pk, "reason": reason},
    )
    base.notify_units(request, f"诉求{request.number}已上报到本级", reason, parent)
    return request


@transaction.atomic
def send_back(*, actor, request, reason: str, at=None) -> Request:
    """A misrouted request goes back one tier with the reason, within the category's working days."""
    request = _locked(actor, request)
    base.require_open(request)
    reason = base.clean_text(reason, "reason", "退回原因", max_length=500)
    at = at or base.now()
    deadline = base.sendback_deadline(request.category, request.assigned_at)
    if at >= deadline:
        raise ValidationError(
            {
                "reason": f"派单错误须在收到后{request.category.sendback_working_days}个工作日内退回"
                f"（{request.category.source}），已超过退回期限，请办理或吹哨上报"
            }
        )
    parent = _parent(request.current_org)
    if parent is None:
        raise ValidationError({"reason": "没有上一级可退回"})
    from_name = request.current_org.name
    before = {"org": request.current_org_id}
    request.current_org = parent
    request.current_path = parent.path
    request.tier = NEXT_TIER.get(request.tier, request.tier)
    request.assigned_at = at
    request.due_at = base.due_for(request.category, at)
    request.phase = Phase.PENDING
    request.save()
    base.event(
        request,
        EventKind.SENT_BACK,
        text=f"{from_name}退回：{reason}；由{parent.name}重新派单",
        actor=actor,
        at=at,
    )
    audit.record(
        actor=actor,
        action="service.request.sent_back",
        target=request,
        org_path=request.org_path,
        before=before,
        after={"org": parent.pk, "reason": reason},
    )
    return request


@transaction.atomic
def dispatch(*, actor, request, to_org, tier: str = Tier.COMPOUND, at=None) -> Request:
    """The unit now holding it sends it to a unit below it (re-dispatch after a send-back)."""
    request = _locked(actor, request)
    base.require_open(request)
    target = (
        Organisation.objects.visible_to(actor, Action.CHANGE).filter(pk=getattr(to_org, "pk", to_org)).first()
    )
    if (
        target is None
        or not target.path.startswith(request.current_path)
        or target.pk == request.current_org_id
    ):
        raise ValidationError({"to_org": "只能派给本单位下级党组织"})
    if tier not in (Tier.COMPOUND, Tier.COMMUNITY, Tier.STREET):
        raise ValidationError({"tier": "层级不正确"})
    at = at or base.now()
    request.current_org = target
    request.current_path = target.path
    request.tier = tier
    request.assigned_at = at
    request.due_at = base.due_for(request.category, at)
    request.phase = Phase.PENDING
    if request.escalations == 0:  # sent back by a wrongly chosen first unit: the new one answers for it
        request.first_org = target
        request.org_path = target.path
    request.save()
    base.event(request, EventKind.DISPATCHED, text=f"派至{target.name}", actor=actor, at=at)
    audit.record(
        actor=actor, action="service.request.dispatched", target=request, org=target, after={"org": target.pk}
    )
    return request


def _start_work(request: Request, at) -> None:
    if request.responded_at is None:
        request.responded_at = at
    request.last_progress_at = at
    request.phase = Phase.IN_PROGRESS


@transaction.atomic
def claim(*, actor, request, note: str = "", department=None, at=None) -> Request:
    """认领: a department from its county's street/district pool, the unit holding it, or a member of the
    place's community (a member outside it is refused)."""
    at = at or base.now()
    note = base.clean_text(note, "note", "认领说明", max_length=500, required=False)
    pk = getattr(request, "pk", request)
    scope = scope_of(actor)
    locked = (
        Request.objects.select_for_update(of=("self",))
        .select_related("category", "current_org")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if locked is None:
        raise Http404(NOT_FOUND)
    request = locked
    member = None
    if department is not None:
        dept = Department.objects.visible_to(actor, Action.CHANGE).filter(
            pk=getattr(department, "pk", department)
        )
        dept = dept.select_related("organisation").first()
        if dept is None:
            raise ValidationError({"department": "部门不存在，或不在您的管理范围内"})
        if request.region_code != dept.region_code or request.tier not in (Tier.STREET, Tier.DISTRICT):
            raise ValidationError({"department": "部门只能认领本县（区）已上报到街道或区县的诉求"})
        if dept.categories.exists() and not dept.categories.filter(pk=request.category_id).exists():
            raise ValidationError({"department": f"“{request.category.name}”不在该部门的承办类别中"})
        base.require_open(request)
        org = dept.organisation
        request.current_org = org
        request.current_path = org.path
        request.tier = Tier.DEPARTMENT
        request.assigned_at = at
        request.due_at = base.due_for(request.category, at)
    elif scope.allows(Action.CHANGE, request.current_path):
        base.require_open(request)
        org = request.current_org
    else:
        member = Member.objects.filter(pk__in=scope.member_ids).select_related("organisation").first()
        if member is None:
            if scope.allows(Action.VIEW, request.org_path) or scope.allows(Action.VIEW, request.current_path):
                raise ValidationError({"request": "诉求已不在本级，只有当前承办单位可以认领"})
            raise Http404(NOT_FOUND)
        community = member.org_path[:-PATH_STEP] if len(member.org_path) > PATH_STEP else member.org_path
        if not request.org_path.startswith(community):
            raise ValidationError({"request": "该诉求不在您所在党组织的服务范围（本社区）内，不能认领"})
        base.require_open(request)
        org = member.organisation
        request.claimed_member = member
    request.claimed_org = org
    _start_work(request, at)
    request.save()
    WorkRecord.objects.create(
        request=request,
        organisation=org,
        member=member,
        kind=WorkKind.CLAIM,
        text=note,
        actor=actor,
        org_path=org.path,
        region_code=org.region_code,
    )
    who = f"党员{member.name}（{org.name}）" if member else org.name
    base.event(
        request,
        EventKind.CLAIMED,
        text=f"{who}认领" + (f"：{note}" if note else ""),
        actor=actor,
        org=org,
        at=at,
    )
    audit.record(
        actor=actor,
        action="service.request.claimed",
        target=request,
        org_path=request.org_path,
        after={"org": org.pk, "member": member.pk if member else None, "tier": request.tier},
    )
    return request


def _worker(actor, request: Request):
    """The unit handling it (CHANGE on its current unit or the claiming unit), or the member who claimed it."""
    scope = scope_of(actor)
    if scope.allows(Action.CHANGE, request.current_path):
        return request.current_org, None
    if request.claimed_member_id and request.claimed_member_id in scope.member_ids:
        return request.claimed_org or request.current_org, request.claimed_member
    if scope.allows(Action.CHANGE, request.org_path):
        return request.first_org, None
    raise ValidationError({"request": "只有当前承办单位或认领的党员可以办理"})


def _for_work(actor, request) -> Request:
    pk = getattr(request, "pk", request)
    found = (
        Request.objects.visible_to(actor, Action.VIEW)
        .select_for_update(of=("self",))  # the nullable joins stay unlocked (PostgreSQL)
        .select_related("category", "current_org", "first_org", "claimed_org", "claimed_member")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@transaction.atomic
def record_progress(*, actor, request, text: str, at=None) -> Request:
    request = _for_work(actor, request)
    base.require_open(request)
    text = base.clean_text(text, "text", "办理进展", max_length=2000)
    org, member = _worker(actor, request)
    at = at or base.now()
    _start_work(request, at)
    request.save()
    WorkRecord.objects.create(
        request=request,
        organisation=org,
        member=member,
        kind=WorkKind.PROGRESS,
        text=text,
        actor=actor,
        org_path=org.path,
        region_code=org.region_code,
    )
    base.event(request, EventKind.PROGRESS, text=text, actor=actor, org=org, at=at)
    audit.record(actor=actor, action="service.request.progress", target=request, org_path=request.org_path)
    return request


@transaction.atomic
def wait_on_requester(*, actor, request, text: str, at=None) -> Request:
    """The clock stops while the request waits on the requester (shown on every page)."""
    request = _for_work(actor, request)
    if request.phase not in (Phase.PENDING, Phase.IN_PROGRESS):
        raise ValidationError({"request": f"诉求当前为“{request.get_phase_display()}”，不能暂停计时"})
    text = base.clean_text(text, "text", "需诉求人补充的内容", max_length=500)
    org, _member = _worker(actor, request)
    at = at or base.now()
    request.paused_at = at
    request.phase = Phase.WAITING
    request.save()
    base.event(request, EventKind.WAITING, text=text, actor=actor, org=org, at=at)
    audit.record(actor=actor, action="service.request.waiting", target=request, org_path=request.org_path)
    return request


@transaction.atomic
def resume(*, actor, request, text: str = "", at=None) -> Request:
    """The requester has answered: the limits move on by the time the clock stood still."""
    request = _for_work(actor, request)
    if request.phase != Phase.WAITING or request.paused_at is None:
        raise ValidationError({"request": "诉求没有在等待诉求人补充"})
    org, _member = _worker(actor, request)
    at = at or base.now()
    stopped = max(at - request.paused_at, datetime.timedelta(0))
    request.due_at += stopped
    request.final_due_at += stopped
    request.paused_seconds += int(stopped.total_seconds())
    request.paused_at = None
    request.phase = Phase.IN_PROGRESS
    request.last_progress_at = at
    request.save()
    hours = round(stopped.total_seconds() / 3600, 1)
    line = (base.clean_text(text, "text", "补充内容", max_length=500, required=False) + "；") if text else ""
    base.event(
        request,
        EventKind.RESUMED,
        text=f"{line}计时暂停{hours}小时，期限相应顺延",
        actor=actor,
        org=org,
        at=at,
    )
    audit.record(
        actor=actor,
        action="service.request.resumed",
        target=request,
        org_path=request.org_path,
        after={"paused_seconds": int(stopped.total_seconds())},
    )
    return request


@transaction.atomic
def answer(*, actor, request, text: str, at=None) -> Request:
    """The answer goes to the requester in the first unit's name (it stays responsible for replying)."""
    request = _for_work(actor, request)
    base.require_open(request)
    if request.phase == Phase.WAITING:
        raise ValidationError({"request": "诉求在等待诉求人补充，请先恢复计时"})
    text = base.clean_text(text, "text", "答复内容", max_length=2000)
    org, member = _worker(actor, request)
    at = at or base.now()
    _start_work(request, at)
    request.phase = Phase.ANSWERED
    request.answered_at = at
    request.answer = text
    request.on_time = at <= request.final_due_at
    request.save()
    WorkRecord.objects.create(
        request=request,
        organisation=org,
        member=member,
        kind=WorkKind.ANSWER,
        text=text,
        actor=actor,
        org_path=org.path,
        region_code=org.region_code,
    )
    base.event(
        request,
        EventKind.ANSWERED,
        text=f"{org.name}办理，{request.first_org.name}答复：{text}",
        actor=actor,
        org=org,
        at=at,
    )
    audit.record(
        actor=actor,
        action="service.request.answered",
        target=request,
        org_path=request.org_path,
        after={"org": org.pk, "on_time": request.on_time},
    )
    if org.pk != request.first_org_id:
        base.notify_units(request, f"诉求{request.number}已由{org.name}办理答复", text, request.first_org)
    return request


@transaction.atomic
def merge(*, actor, request, into) -> Request:
    """A duplicate (same place and category) joins the earlier request; the requester follows that one."""
    request = _locked(actor, request)
    target = _locked(actor, into)
    if request.pk == target.pk or target.duplicate_of_id:
        raise ValidationError({"into": "不能合并到自身或已合并的诉求"})
    if request.category_id != target.category_id:
        raise ValidationError({"into": "只能合并同一类别的诉求"})
    base.require_open(request)
    at = base.now()
    request.duplicate_of = target
    request.status = Status.CLOSED
    request.phase = Phase.MERGED
    request.closed_at = at
    request.save()
    base.event(request, EventKind.MERGED, text=f"与诉求{target.number}重复，合并办理", actor=actor, at=at)
    base.event(target, EventKind.MERGED, text=f"合并重复诉求{request.number}", actor=actor, at=at)
    audit.record(
        actor=actor,
        action="service.request.merged",
        target=request,
        org_path=request.org_path,
        after={"into": target.pk},
    )
    return request

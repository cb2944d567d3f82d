"""What every request-desk service shares: audit labels, time limits, history lines, rate limits, notices."""

import datetime
import secrets
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from qiangji.core import notifications, ratelimit, workdays
from qiangji.core.choices import Role
from qiangji.orgs.models import Grant, Organisation
from qiangji.service.choices import LimitUnit, Phase, Tier
from qiangji.service.models import Category, DeskRule, Request, RequestEvent

ZONE = ZoneInfo("Asia/Shanghai")

ACTION_LABELS = {
    "service.request.submitted": "受理诉求",
    "service.request.escalated": "诉求超时自动上报（批量）",
    "service.request.whistle": "吹哨上报诉求",
    "service.request.sent_back": "退回派单错误的诉求",
    "service.request.dispatched": "重新派单",
    "service.request.claimed": "认领诉求",
    "service.request.progress": "登记办理进展",
    "service.request.waiting": "等待诉求人补充（计时暂停）",
    "service.request.resumed": "恢复计时",
    "service.request.answered": "答复诉求人",
    "service.request.confirmed": "诉求人评价",
    "service.request.close_refused": "拒绝非诉求人、非工作人员办结",
    "service.request.closed_by_staff": "工作人员办结诉求",
    "service.request.unrated": "逾期未评价办结（批量）",
    "service.request.merged": "合并重复诉求",
    "service.place.created": "登记小区/网格",
    "service.station.created": "登记服务站点",
    "service.department.created": "登记承办部门",
    "service.rating.created": "由邻评事评价",
    "service.category.changed": "修改诉求类别时限",
    "core.workday.set": "调整工作日安排",
}
TARGET_URLS = {"service.request": "service:request-detail"}

# Rate limits (issue 15, bad input: a flood from one number or address).
CODE_RATE = "3/10m"
SUBMIT_RATE_PHONE = "5/h"
SUBMIT_RATE_ADDRESS = "20/h"
RATING_RATE = "10/h"

# The platform's area: mainland China's bounding box; a coordinate outside is refused.
LAT_RANGE = (3.8, 53.6)
LNG_RANGE = (73.5, 135.1)


def now() -> datetime.datetime:
    return timezone.now()


def rule(key: str, default: int) -> int:
    return DeskRule.value_of(key, default)


def due_for(category: Category, start: datetime.datetime) -> datetime.datetime:
    """The end of a limit counted from `start`: clock hours, calendar days, or working days (调休-aware,
    `core.workdays`): due at the end (24:00 Beijing time) of the n-th working day after the start's day."""
    if category.limit_unit == LimitUnit.HOURS:
        return start + datetime.timedelta(hours=category.limit_value)
    if category.limit_unit == LimitUnit.DAYS:
        return start + datetime.timedelta(days=category.limit_value)
    local = start.astimezone(ZONE)
    last = workdays.add_working_days(local.date(), category.limit_value)
    return datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=ZONE)


def sendback_deadline(category: Category, assigned_at: datetime.datetime) -> datetime.datetime:
    local = assigned_at.astimezone(ZONE)
    last = workdays.add_working_days(local.date(), category.sendback_working_days)
    return datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=ZONE)


def tier_for_org(org: Organisation, default: str) -> str:
    if org.kind == "industry_committee":
        return Tier.INDUSTRY
    return default


def actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "系统"
    return (actor.get_full_name() or actor.get_username())[:150]


def event(request: Request, kind: str, *, text: str = "", actor=None, org=None, at=None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        at=at or now(),
        kind=kind,
        phase=request.phase,
        tier=request.tier,
        org_name=(org.name if org is not None else request.current_org.name)[:200],
        actor_name=actor_name(actor),
        text=text,
    )


def limit(scope: str, key: str, rate: str, field: str) -> None:
    """A flood limit: refused with the kernel's Chinese message on the field."""
    if not key:
        return
    try:
        ratelimit.check(f"service.{scope}", key, rate=rate)
    except ratelimit.RateLimited as error:
        raise ValidationError({field: f"{error.message}（同一号码或地址提交过于频繁）"})


def new_number() -> str:
    return "JS" + timezone.localtime(now(), ZONE).strftime("%y%m%d") + secrets.token_hex(3).upper()


def unit_users(*orgs):
    """The staff of these units (secretaries and committees bound to exactly the unit) for a notice."""
    ids = [org.pk for org in orgs if org is not None]
    grants = Grant.objects.filter(organisation_id__in=ids).exclude(role=Role.MEMBER).select_related("user")
    return list({grant.user for grant in grants})


def notify_units(request: Request, title: str, body: str, *orgs) -> None:
    notifications.notify(
        recipients=unit_users(*(orgs or (request.current_org, request.first_org))),
        kind="service.request",
        title=title,
        body=body,
        url=f"/service/requests/{request.pk}/",
        org_path=request.org_path,
    )


def require_open(request: Request) -> None:
    if request.phase not in (Phase.PENDING, Phase.IN_PROGRESS, Phase.WAITING):
        raise ValidationError({"request": f"诉求当前为“{request.get_phase_display()}”，不能办理"})


def clean_text(value, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    """Stored as text (never as markup: templates escape it); bounded; NUL bytes removed."""
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError({field: f"{label}不能超过{max_length}个字"})
    return text

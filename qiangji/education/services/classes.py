"""Classes (班次): teaching sites, plan, quotas by organisation, enrolment, sessions with QR attendance
(a signed token per session), funding by source, and 结业 — the class's theory-share rule checked and the
attended hours credited to each member's ledger once."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.education.choices import Channel, ClassStatus, FundingSource, Provider, SiteKind, Source
from qiangji.education.models import (
    ClassQuota,
    ClassSession,
    Enrolment,
    Funding,
    SessionAttendance,
    TeachingSite,
    TrainingClass,
)
from qiangji.education.services.base import half_hours_of, learner_of
from qiangji.education.services.ledger import credit_hours
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation

CHECKIN_SALT = "education.class-session.checkin"
CHECKIN_MAX_AGE = 24 * 3600


def _org(actor, org) -> Organisation:
    return get_in_scope_or_404(Organisation, actor, getattr(org, "pk", org), Action.CHANGE)


def _class(actor, training_class, *, lock=True) -> TrainingClass:
    return get_in_scope_or_404(
        TrainingClass, actor, getattr(training_class, "pk", training_class), Action.CHANGE, lock=lock
    )


def _open(training_class: TrainingClass) -> None:
    if training_class.status == ClassStatus.COMPLETED:
        raise ValidationError({"status": "班次已结业，不能再修改"})


@transaction.atomic
def register_site(*, actor, organisation, name: str, kind: str, capacity, address: str = "") -> TeachingSite:
    org = _org(actor, organisation)
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写名称"
    if kind not in SiteKind.values:
        errors["kind"] = "请选择类型"
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 100000:
        errors["capacity"] = "容纳人数须在1至100000之间"
    if errors:
        raise ValidationError(errors)
    site = TeachingSite.objects.create(
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        name=name.strip()[:200],
        kind=kind,
        capacity=capacity,
        address=(address or "").strip()[:255],
    )
    audit.record(
        actor=actor,
        action="education.site.registered",
        target=site,
        org=org,
        after=audit.snapshot(site, ["name", "kind", "capacity"]),
    )
    return site


@transaction.atomic
def plan_class(
    *,
    actor,
    organisation,
    title: str,
    starts_on,
    ends_on,
    site=None,
    provider: str = Provider.SCHOOL_TOPIC,
    theory_share_min_pct=50,
    completion_pct=80,
) -> TrainingClass:
    org = _org(actor, organisation)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写班次名称"
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = "请填写开班日期"
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = "请填写结业日期"
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = "结业日期不能早于开班日期"
    if provider not in Provider.values:
        errors["provider"] = "请选择组织方"
    for name, value in (("theory_share_min_pct", theory_share_min_pct), ("completion_pct", completion_pct)):
        if not isinstance(value, int) or not 0 <= value <= 100:
            errors[name] = "百分比须为0至100的整数"
    site_obj = None
    if site is not None:
        site_obj = (
            TeachingSite.objects.visible_to(actor, Action.VIEW).filter(pk=getattr(site, "pk", site)).first()
        )
        if site_obj is None:
            errors["site"] = "教学阵地不存在或不在管理范围内"
    if errors:
        raise ValidationError(errors)
    training_class = TrainingClass.objects.create(
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        title=title.strip()[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        site=site_obj,
        provider=provider,
        theory_share_min_pct=theory_share_min_pct,
        completion_pct=completion_pct,
    )
    audit.record(
        actor=actor,
        action="education.class.planned",
        target=training_class,
        org=org,
        after=audit.snapshot(training_class, ["title", "starts_on", "ends_on", "theory_share_min_pct"]),
    )
    return training_class


@transaction.atomic
def set_quota(*, actor, training_class, organisation, seats) -> ClassQuota:
    training_class = _class(actor, training_class)
    _open(training_class)
    org = Organisation.objects.filter(pk=getattr(organisation, "pk", organisation)).first()
    if org is None or not org.path.startswith(training_class.org_path):
        raise ValidationError({"organisation": "名额只能分配给本班次主办组织及其下级组织"})
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = -1
    if not 1 <= seats <= 100000:
        raise ValidationError({"seats": "名额须在1至100000之间"})
    others = training_class.quotas.exclude(organisation=org).aggregate(n=Sum("seats"))["n"] or 0
    if training_class.site and others + seats > training_class.site.capacity:
        raise ValidationError(
            {
                "seats": f"名额合计{others + seats}超过教学阵地“{training_class.site.name}”的容纳人数{training_class.site.capacity}"
            }
        )
    quota, _created = ClassQuota.objects.update_or_create(
        training_class=training_class,
        organisation=org,
        defaults={"seats": seats, "org_path": org.path, "region_code": org.region_code},
    )
    if quota.enrolments.count() > seats:
        raise ValidationError({"seats": f"已报名{quota.enrolments.count()}人，名额不能少于报名人数"})
    audit.record(
        actor=actor,
        action="education.class.quota_set",
        target=training_class,
        org_path=training_class.org_path,
        after={"organisation": org.name, "seats": seats},
    )
    return quota


@transaction.atomic
def enrol(*, actor, training_class, member) -> Enrolment:
    """The member's organisation (whoever manages them) enrols them on the quota of the nearest
    organisation above them that has one; a full quota refuses."""
    member = get_in_scope_or_404(Member, actor, getattr(member, "pk", member), Action.CHANGE, lock=True)
    training_class = (
        TrainingClass.objects.select_for_update()
        .filter(pk=getattr(training_class, "pk", training_class))
        .first()
    )
    if training_class is None or not member.org_path.startswith(training_class.org_path):
        raise ValidationError({"training_class": "该班次不面向此党员所在组织"})
    _open(training_class)
    if member.status not in ON_ROLL:
        raise ValidationError({"member": f"“{member.name}”当前状态为{member.get_status_display()}，不能报名"})
    if training_class.enrolments.filter(member=member).exists():
        raise ValidationError({"member": f"“{member.name}”已报名该班次"})
    quotas = [
        q
        for q in training_class.quotas.select_related("organisation")
        if member.org_path.startswith(q.org_path)
    ]
    if not quotas:
        raise ValidationError({"member": "此党员所在组织没有该班次的名额"})
    quota = max(quotas, key=lambda q: len(q.org_path))
    if quota.enrolments.count() >= quota.seats:
        raise ValidationError({"member": f"“{quota.organisation.name}”的{quota.seats}个名额已满"})
    enrolment = Enrolment.objects.create(
        training_class=training_class,
        quota=quota,
        member=member,
        org_path=member.org_path,
        region_code=member.region_code,
    )
    audit.record(
        actor=actor,
        action="education.class.enrolled",
        target=enrolment,
        org_path=member.org_path,
        target_repr=f"{member.name} {training_class.title}",
    )
    return enrolment


@transaction.atomic
def add_session(
    *, actor, training_class, title: str, held_on, hours, is_theory: bool = True, lecturer: str = ""
) -> ClassSession:
    training_class = _class(actor, training_class)
    _open(training_class)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写课程名称"
    if (
        not isinstance(held_on, datetime.date)
        or not training_class.starts_on <= held_on <= training_class.ends_on
    ):
        errors["held_on"] = (
            f"日期须在班次期间（{training_class.starts_on:%Y-%m-%d}至{training_class.ends_on:%Y-%m-%d}）"
        )
    try:
        half_hours = half_hours_of(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        half_hours = 0
    if errors:
        raise ValidationError(errors)
    session = ClassSession.objects.create(
        training_class=training_class,
        org_path=training_class.org_path,
        region_code=training_class.region_code,
        title=title.strip()[:200],
        held_on=held_on,
        half_hours=half_hours,
        is_theory=bool(is_theory),
        lecturer=(lecturer or "").strip()[:50],
    )
    audit.record(
        actor=actor,
        action="education.class.session_added",
        target=session,
        org_path=training_class.org_path,
        after=audit.snapshot(session, ["title", "held_on", "half_hours", "is_theory"]),
    )
    return session


@transaction.atomic
def record_funding(*, actor, training_class, source: str, amount, note: str = "") -> Funding:
    training_class = _class(actor, training_class)
    if source not in FundingSource.values:
        raise ValidationError({"source": "请选择经费来源"})
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "金额须为数字"}) from None
    if not Decimal("0") < value < Decimal("1e10"):
        raise ValidationError({"amount": "金额须大于0"})
    funding = Funding.objects.create(
        training_class=training_class,
        org_path=training_class.org_path,
        region_code=training_class.region_code,
        source=source,
        amount=value,
        note=(note or "").strip()[:200],
    )
    audit.record(
        actor=actor,
        action="education.class.funded",
        target=training_class,
        org_path=training_class.org_path,
        after={"source": source, "amount": value},
    )
    return funding


def checkin_token(session: ClassSession) -> str:
    """The QR code's signed token for one session (valid for a day; the session's date is checked too)."""
    return signing.dumps({"s": session.pk}, salt=CHECKIN_SALT)


@transaction.atomic
def check_in(*, actor, token: str) -> SessionAttendance:
    """The learner scans the session's QR code: enrolled members only, on the session's date, once."""
    try:
        payload = signing.loads(str(token or ""), salt=CHECKIN_SALT, max_age=CHECKIN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError({"token": "签到二维码已过期，请扫描现场最新的二维码"}) from None
    except signing.BadSignature:
        raise ValidationError({"token": "签到二维码无效"}) from None
    session = ClassSession.objects.select_related("training_class").filter(pk=payload.get("s")).first()
    if session is None:
        raise ValidationError({"token": "签到二维码无效"})
    member = learner_of(actor)
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(training_class=session.training_class, member=member)
        .first()
    )
    if enrolment is None:
        raise ValidationError({"token": "您未报名该班次，不能签到"})
    if session.training_class.status == ClassStatus.COMPLETED:
        raise ValidationError({"token": "班次已结业"})
    if session.held_on != today():
        raise ValidationError({"token": f"该课次在{session.held_on:%Y-%m-%d}，只能当天签到"})
    attendance, created = SessionAttendance.objects.get_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"org_path": session.org_path, "region_code": session.region_code},
    )
    if not created:
        raise ValidationError({"token": "您已签到"})
    Enrolment.objects.filter(pk=enrolment.pk).update(attended_hh=F("attended_hh") + session.half_hours)
    audit.record(
        actor=actor,
        action="education.class.checked_in",
        target=attendance,
        org_path=member.org_path,
        target_repr=f"{member.name} {session}",
    )
    return attendance


def theory_share(training_class: TrainingClass) -> tuple[int, int]:
    """(theory half-hours, all half-hours) of the class's sessions."""
    sessions = list(training_class.sessions.values_list("half_hours", "is_theory"))
    return sum(h for h, theory in sessions if theory), sum(h for h, _theory in sessions)


@transaction.atomic
def complete_class(*, actor, training_class) -> TrainingClass:
    """结业: refused unless the theory courses reach the class's minimum share; then each enrolled member
    with attended hours gets them in the ledger (once, as concentrated training), 结业 when they attended
    at least the class's completion share."""
    training_class = _class(actor, training_class)
    _open(training_class)
    theory, total = theory_share(training_class)
    if not total:
        raise ValidationError({"status": "班次还没有课次，不能结业"})
    if theory * 100 < training_class.theory_share_min_pct * total:
        raise ValidationError(
            {
                "status": (
                    f"理论课程占比{100 * theory / total:.0f}%，低于本班次规定的{training_class.theory_share_min_pct}%"
                    "（docs/rules.md §3：新时代党的创新理论作为必修课并明确课程比例），不能结业"
                )
            }
        )
    graduated = 0
    for enrolment in training_class.enrolments.select_related("member").select_for_update():
        if enrolment.attended_hh * 100 >= training_class.completion_pct * total:
            enrolment.graduated = True
            enrolment.save(update_fields=["graduated", "updated_at"])
            graduated += 1
        if enrolment.attended_hh:
            credit_hours(
                actor=actor,
                member=enrolment.member,
                origin=f"class:{training_class.pk}",
                source=Source.CLASS,
                channel=Channel.OFFLINE,
                provider=training_class.provider,
                half_hours=enrolment.attended_hh,
                title=training_class.title,
                held_on=training_class.ends_on,
                concentrated=True,
            )
    training_class.status = ClassStatus.COMPLETED
    training_class.completed_at = timezone.now()
    training_class.save(update_fields=["status", "completed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="education.class.completed",
        target=training_class,
        org_path=training_class.org_path,
        after={"graduated": graduated, "theory_hh": theory, "total_hh": total},
    )
    return training_class

"""The lecturer pool (师资库): lecturers registered by an organisation for its whole subtree, bookings by
branches for theme days (送学), the lecture recorded (hours credited to the lecturer, and to the attendees
through the branch's own meeting in life), ratings by the branch's members."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.education.choices import BookingStatus, Channel, Provider, Source
from qiangji.education.models import Booking, Lecturer, Rating
from qiangji.education.services.base import half_hours_of, learner_of
from qiangji.education.services.ledger import credit_hours
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation


@transaction.atomic
def register_lecturer(
    *, actor, organisation, name: str, topics: str, title: str = "", bio: str = "", member=None
) -> Lecturer:
    org = get_in_scope_or_404(Organisation, actor, getattr(organisation, "pk", organisation), Action.CHANGE)
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写姓名"
    if not (topics or "").strip():
        errors["topics"] = "请填写宣讲专题"
    member_obj = None
    if member is not None:
        member_obj = (
            Member.objects.visible_to(actor, Action.VIEW).filter(pk=getattr(member, "pk", member)).first()
        )
        if member_obj is None:
            errors["member"] = "党员不存在或不在管理范围内"
    if errors:
        raise ValidationError(errors)
    lecturer = Lecturer.objects.create(
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        member=member_obj,
        name=name.strip()[:50],
        title=(title or "").strip()[:100],
        topics=topics.strip()[:300],
        bio=(bio or "").strip(),
    )
    audit.record(
        actor=actor,
        action="education.lecturer.registered",
        target=lecturer,
        org=org,
        after=audit.snapshot(lecturer, ["name", "title", "topics"]),
    )
    return lecturer


@transaction.atomic
def book_lecturer(*, actor, lecturer, organisation, topic: str, held_on, hours) -> Booking:
    """A branch (in the actor's scope) books a lecturer of a pool above it or its own."""
    lecturer = get_in_scope_or_404(Lecturer, actor, getattr(lecturer, "pk", lecturer), Action.VIEW)
    org = get_in_scope_or_404(Organisation, actor, getattr(organisation, "pk", organisation), Action.CHANGE)
    errors = {}
    if not org.path.startswith(lecturer.org_path):
        errors["organisation"] = "只能预约本组织或上级组织师资库中的师资"
    if not (topic or "").strip():
        errors["topic"] = "请填写专题"
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = "请填写日期"
    try:
        half_hours = half_hours_of(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        half_hours = 0
    if errors:
        raise ValidationError(errors)
    booking = Booking.objects.create(
        lecturer=lecturer,
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        topic=topic.strip()[:200],
        held_on=held_on,
        half_hours=half_hours,
    )
    audit.record(
        actor=actor,
        action="education.lecturer.booked",
        target=booking,
        org=org,
        target_repr=f"{lecturer.name} {booking.topic}",
    )
    return booking


@transaction.atomic
def record_lecture(*, actor, booking) -> Booking:
    """The lecture was given: the booking is done and a lecturer who is a member is credited the hours
    (授课). The attendees' hours are the branch's meeting in life (study hours × attendance)."""
    booking = get_in_scope_or_404(Booking, actor, getattr(booking, "pk", booking), Action.CHANGE, lock=True)
    if booking.status == BookingStatus.DONE:
        raise ValidationError({"status": "该次授课已登记"})
    booking.status = BookingStatus.DONE
    booking.save(update_fields=["status", "updated_at"])
    lecturer = booking.lecturer
    if lecturer.member_id:
        credit_hours(
            actor=actor,
            member=lecturer.member,
            origin=f"lecture:{booking.pk}",
            source=Source.LECTURING,
            channel=Channel.OFFLINE,
            provider=Provider.OWN,
            half_hours=booking.half_hours,
            title=f"送学授课：{booking.topic}",
            held_on=booking.held_on,
        )
    audit.record(
        actor=actor,
        action="education.lecturer.lectured",
        target=booking,
        org_path=booking.org_path,
        target_repr=f"{lecturer.name} {booking.topic}",
    )
    return booking


@transaction.atomic
def rate_lecture(*, actor, booking, stars) -> Rating:
    """A member of the booking branch rates the lecture once, after it was given."""
    member = learner_of(actor)
    booking = Booking.objects.select_for_update().filter(pk=getattr(booking, "pk", booking)).first()
    if booking is None or not member.org_path.startswith(booking.org_path):
        raise ValidationError({"booking": "只有听课支部的党员可以评价"})
    if booking.status != BookingStatus.DONE:
        raise ValidationError({"booking": "授课完成后才能评价"})
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": "评分须为1至5星"})
    if Rating.objects.filter(booking=booking, member=member).exists():
        raise ValidationError({"stars": "您已评价过该次授课"})
    rating = Rating.objects.create(
        booking=booking, member=member, org_path=member.org_path, region_code=member.region_code, stars=stars
    )
    audit.record(
        actor=actor,
        action="education.lecturer.rated",
        target=rating,
        org_path=member.org_path,
        after={"stars": stars},
    )
    return rating

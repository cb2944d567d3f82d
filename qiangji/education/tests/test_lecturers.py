"""The lecturer pool: a county pool booked by a branch for a theme day, the lecture recorded (hours to a
lecturer who is a member, once), rated once by the branch's members only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qiangji.education import services
from qiangji.education.models import HourEntry, Rating
from qiangji.members.models import Member
from qiangji.testing import add_member, add_user

pytestmark = pytest.mark.django_db


def test_a_lecturer_booked_rated_and_credited(world, client_as):
    lecturer_member = Member.objects.filter(organisation=world.branch).exclude(pk=world.member.pk).first()
    lecturer = services.register_lecturer(
        actor=world.users["xian"],
        organisation=world.county,
        name="王教授",
        topics="党的创新理论",
        member=lecturer_member,
    )
    zhibu = world.users["zhibu"]
    with pytest.raises(ValidationError):
        services.book_lecturer(
            actor=zhibu,
            lecturer=lecturer,
            organisation=world.branch,
            topic="x",
            held_on=datetime.date(2026, 5, 1),
            hours="1.3",
        )
    booking = services.book_lecturer(
        actor=zhibu,
        lecturer=lecturer,
        organisation=world.branch,
        topic="主题党日送学",
        held_on=datetime.date(2026, 5, 1),
        hours="2",
    )
    learner = world.users["dangyuan"]
    with pytest.raises(ValidationError):
        services.rate_lecture(actor=learner, booking=booking, stars=5)  # not given yet
    services.record_lecture(actor=zhibu, booking=booking)
    with pytest.raises(ValidationError):
        services.record_lecture(actor=zhibu, booking=booking)
    entry = HourEntry.objects.get(member=lecturer_member, origin=f"lecture:{booking.pk}")
    assert entry.half_hours == 4 and entry.source == "lecturing"
    services.rate_lecture(actor=learner, booking=booking, stars=4)
    with pytest.raises(ValidationError):
        services.rate_lecture(actor=learner, booking=booking, stars=5)
    outsider = add_user("qianqi", world.branch2, "member")
    add_member(world.branch2, "钱七", user=outsider)
    with pytest.raises(ValidationError):
        services.rate_lecture(actor=outsider, booking=booking, stars=1)
    assert (
        client_as(outsider)
        .post(reverse("education:booking-rate", args=[booking.pk]), {"stars": 1})
        .status_code
        == 404
    )
    assert Rating.objects.count() == 1
    page = client_as(zhibu).get(reverse("education:lecturer-list"))
    assert page.status_code == 200 and "平均4.0星" in page.content.decode()
    assert (
        client_as(world.users["foreign"])
        .get(reverse("education:booking-create", args=[lecturer.pk]))
        .status_code
        == 404
    )

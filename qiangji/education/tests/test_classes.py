"""A class from plan to 结业: quotas by organisation, site capacity, QR attendance on the session's day,
the class's theory-share rule, hours credited once to the members who attended."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.education import selectors, services
from qiangji.education.models import Enrolment, HourEntry
from qiangji.members.models import Member
from qiangji.testing import add_member, add_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 12)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("qiangji.education.services.classes.today", lambda: TODAY)
    return TODAY


def _class(world, **kw):
    actor = world.users["xian"]
    site = services.register_site(
        actor=actor, organisation=world.county, name="县委党校", kind="party_school", capacity=3
    )
    training_class = services.plan_class(
        actor=actor,
        organisation=world.county,
        title="2026年党员轮训班",
        site=site,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=2),
        **kw,
    )
    return actor, training_class


def test_a_class_from_plan_to_completion(world, fixed_today, client_as):
    actor, training_class = _class(world)
    with pytest.raises(ValidationError) as over:
        services.set_quota(actor=actor, training_class=training_class, organisation=world.branch, seats=4)
    assert "容纳人数3" in over.value.message_dict["seats"][0]
    services.set_quota(actor=actor, training_class=training_class, organisation=world.branch, seats=2)
    members = list(Member.objects.filter(organisation=world.branch).order_by("pk"))
    zhibu = world.users["zhibu"]
    services.enrol(actor=zhibu, training_class=training_class, member=members[0])
    services.enrol(actor=zhibu, training_class=training_class, member=members[1])
    with pytest.raises(ValidationError) as full:
        services.enrol(actor=zhibu, training_class=training_class, member=members[2])
    assert "名额已满" in full.value.message_dict["member"][0]
    with pytest.raises(Http404):
        services.enrol(actor=zhibu, training_class=training_class, member=world.foreign_member)
    theory = services.add_session(
        actor=actor,
        training_class=training_class,
        title="习近平新时代中国特色社会主义思想",
        held_on=TODAY,
        hours="4",
    )
    practice = services.add_session(
        actor=actor,
        training_class=training_class,
        title="基层党务实务",
        held_on=TODAY + datetime.timedelta(days=1),
        hours="4",
        is_theory=False,
    )
    with pytest.raises(ValidationError):
        services.add_session(
            actor=actor,
            training_class=training_class,
            title="x",
            held_on=TODAY + datetime.timedelta(days=5),
            hours="1",
        )
    services.record_funding(actor=actor, training_class=training_class, source="dues", amount="12000")
    learner = world.users["dangyuan"]  # 李四 = members[0]
    services.check_in(actor=learner, token=services.checkin_token(theory))
    with pytest.raises(ValidationError) as twice:
        services.check_in(actor=learner, token=services.checkin_token(theory))
    assert "已签到" in twice.value.message_dict["token"][0]
    with pytest.raises(ValidationError) as other_day:
        services.check_in(actor=learner, token=services.checkin_token(practice))
    assert "只能当天签到" in other_day.value.message_dict["token"][0]
    with pytest.raises(ValidationError):
        services.check_in(actor=learner, token=services.checkin_token(theory) + "x")
    # Theory 4 of 8 half... 8 of 16 half-hours = 50 %: a class that asks 60 % cannot complete.
    training_class.theory_share_min_pct = 60
    training_class.save()
    with pytest.raises(ValidationError) as share:
        services.complete_class(actor=actor, training_class=training_class)
    assert "理论课程占比50%" in share.value.message_dict["status"][0]
    training_class.theory_share_min_pct = 50
    training_class.completion_pct = 50
    training_class.save()
    services.complete_class(actor=actor, training_class=training_class)
    entry = HourEntry.objects.get(member=world.member, origin=f"class:{training_class.pk}")
    assert entry.half_hours == 8 and entry.concentrated and entry.source == "class"
    assert Enrolment.objects.get(member=world.member).graduated
    assert not Enrolment.objects.get(member=members[1]).graduated
    assert not HourEntry.objects.filter(member=members[1]).exists()
    assert AuditEntry.objects.filter(action="education.class.completed").count() == 1
    with pytest.raises(ValidationError):
        services.complete_class(actor=actor, training_class=training_class)
    year = selectors.member_year(world.member, 2026)
    assert {r["source"]: r["half_hours"] for r in year.by_source}["class"] == 8


def test_a_learner_not_enrolled_cannot_check_in(world, fixed_today):
    actor, training_class = _class(world)
    session = services.add_session(
        actor=actor, training_class=training_class, title="理论", held_on=TODAY, hours="2"
    )
    outsider = add_user("qianqi", world.branch2, "member")
    add_member(world.branch2, "钱七", user=outsider)
    with pytest.raises(ValidationError) as refused:
        services.check_in(actor=outsider, token=services.checkin_token(session))
    assert "未报名" in refused.value.message_dict["token"][0]


def test_class_pages(world, fixed_today, client_as):
    actor, training_class = _class(world)
    services.set_quota(actor=actor, training_class=training_class, organisation=world.branch, seats=2)
    services.enrol(actor=world.users["zhibu"], training_class=training_class, member=world.member)
    session = services.add_session(
        actor=actor, training_class=training_class, title="理论", held_on=TODAY, hours="2"
    )
    client = client_as(actor)
    assert client.get(reverse("education:class-list")).status_code == 200
    detail = client.get(reverse("education:class-detail", args=[training_class.pk]))
    assert detail.status_code == 200 and "<svg" in detail.content.decode()
    learner = client_as(world.users["dangyuan"])
    url = reverse("education:class-checkin") + f"?t={services.checkin_token(session)}"
    assert learner.get(url).status_code == 200
    assert learner.post(url, {"t": services.checkin_token(session)}).status_code == 302
    assert Enrolment.objects.get(member=world.member).attended_hh == 4
    foreign = client_as(world.users["foreign"])
    assert foreign.get(reverse("education:class-detail", args=[training_class.pk])).status_code == 404

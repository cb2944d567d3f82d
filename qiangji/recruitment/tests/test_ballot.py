"""Branch general meetings from the attendance list (issue #11 item 2; 《中国共产党发展党员工作细则》第二十二条、
第三十一条; docs/rules.md §1 steps 15 and 23): entitled = the branch's full members with voting rights on the
roll on the meeting date, quorum > ½ of them present, majority > ½ of them for (written opinions count)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qiangji.members.models import Member, MemberStatusEvent, RewardPunishment
from qiangji.members.selectors import voting_roll
from qiangji.recruitment import services
from qiangji.recruitment.models.records import MeetingAttendance
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.tests.factories import case_at
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2024, 4, 10)


def roll(world, day=DAY):
    return list(voting_roll(world.branch, day).values_list("pk", flat=True))


def lines(pks, present: int, votes_for: int, written_for: int = 0):
    """The first `present` members present (the first `votes_for` of them for, the rest against), the others
    absent with a reason, the first `written_for` absent ones with a written opinion in favour."""
    rows = [
        {"member": pk, "present": True, "vote": "for" if i < votes_for else "against"}
        for i, pk in enumerate(pks[:present])
    ]
    rows += [
        {
            "member": pk,
            "present": False,
            "reason": "出差",
            "written_opinion": "for" if i < written_for else None,
        }
        for i, pk in enumerate(pks[present:])
    ]
    return rows


def meet(world, case, attendance, **extra):
    return services.hold_branch_meeting(
        actor=world.users["zhibu"], case=case, date=DAY, attendance=attendance, **extra
    )


def test_roll_is_the_full_members_on_the_day_without_probationary_or_suspended(world, people):
    probationary = add_member(world.branch, "预备甲", status="probationary")
    punished = add_member(world.branch, "察看乙")
    RewardPunishment.objects.create(
        member=punished,
        org_path=punished.org_path,
        kind="punishment",
        title="留党察看一年",
        decided_on=D(2023, 6, 1),
    )
    late = add_member(world.branch, "新转丙")
    MemberStatusEvent.objects.create(member=late, org_path=late.org_path, status="full", effective_on=DAY)
    ids = roll(world)
    assert probationary.pk not in ids and punished.pk not in ids
    assert late.pk in ids and late.pk not in roll(
        world, DAY - datetime.timedelta(days=1)
    )  # the day it counts
    assert len(ids) == 7  # the world's 4, the 2 people, and 新转丙 from the day of the event


@pytest.mark.parametrize(("restored", "on_roll"), [(DAY + datetime.timedelta(days=1), False), (DAY, True)])
def test_a_member_whose_rights_are_restored_votes_from_that_day(world, restored, on_roll):
    punished = add_member(world.branch, "察看戊")
    RewardPunishment.objects.create(
        member=punished,
        org_path=punished.org_path,
        kind="punishment",
        title="留党察看一年",
        decided_on=D(2023, 4, 1),
        rights_restored_on=restored,
    )
    assert (punished.pk in roll(world)) is on_roll


def test_reproduction_typed_numbers_are_refused_through_the_api(world, people, client_as):
    for n in range(13):  # 19 full members
        add_member(world.branch, f"党员{n}")
    case = case_at(world, 14, people)
    response = client_as(world.users["zhibu"]).post(
        reverse("recruitment-case-steps", args=[case.pk]),
        {
            "step": "branch_meeting",
            "date": "2024-04-10",
            "fields": {"entitled": 5, "present": 3, "votes_for": 3},
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "fields" in response.json()["fields"]
    case.refresh_from_db()
    assert case.step == 14 and case.member is None


def test_typed_numbers_beside_a_list_are_refused(world, people):
    case = case_at(world, 14, people)
    with pytest.raises(ValidationError) as info:
        meet(world, case, lines(roll(world), 6, 6), entitled=5)
    assert "entitled" in info.value.message_dict


@pytest.mark.parametrize(("present", "ok"), [(3, False), (4, True)])  # 6 entitled: 3 is not more than half
def test_quorum_boundary_from_the_list(world, people, present, ok):
    case = case_at(world, 14, people)
    attendance = lines(roll(world), present, present)
    if ok:
        vote = meet(world, case, attendance)
        assert vote.passed and vote.meeting.entitled == 6 and vote.meeting.present == present
        assert MeetingAttendance.objects.filter(vote=vote).count() == 6
        assert sorted(vote.meeting.attendee_ids) == sorted(roll(world)[:present])
    else:
        with pytest.raises(RuleViolation) as info:
            meet(world, case, attendance)
        assert info.value.rule.endswith("step15.quorum")
        assert not MeetingAttendance.objects.exists()


@pytest.mark.parametrize(("votes_for", "written_for", "passed"), [(3, 0, False), (4, 0, True), (3, 1, True)])
def test_majority_of_the_entitled_counting_written_opinions(world, people, votes_for, written_for, passed):
    case = case_at(world, 14, people)
    vote = meet(world, case, lines(roll(world), 5, votes_for, written_for))
    case.refresh_from_db()
    assert (
        vote.passed is passed
        and vote.votes_for == votes_for + written_for
        and vote.written_for == written_for
    )
    assert (case.member is not None) is passed


def test_claiming_a_pass_the_count_does_not_give_is_refused(world, people):
    case = case_at(world, 14, people)
    with pytest.raises(RuleViolation) as info:
        meet(world, case, lines(roll(world), 5, 3), passed=True)
    assert info.value.rule.endswith("step15.majority")


@pytest.mark.parametrize("problem", ["missing", "foreign", "twice", "no_vote", "no_reason", "not_a_list"])
def test_an_incomplete_or_wrong_list_is_bad_input(world, people, problem):
    case = case_at(world, 14, people)
    attendance = lines(roll(world), 6, 6)
    if problem == "missing":
        attendance = attendance[1:]
    elif problem == "foreign":
        attendance.append({"member": world.foreign_member.pk, "present": True, "vote": "for"})
    elif problem == "twice":
        attendance.append(dict(attendance[0]))
    elif problem == "no_vote":
        del attendance[0]["vote"]
    elif problem == "no_reason":
        attendance[0] = {"member": attendance[0]["member"], "present": False}
    else:
        attendance = {"present": 6}
    with pytest.raises(ValidationError) as info:
        meet(world, case, attendance)
    assert "attendance" in info.value.message_dict
    case.refresh_from_db()
    assert case.step == 14


def test_probationary_observers_are_recorded_and_never_counted(world, people):
    observer = add_member(world.branch, "预备丁", status="probationary")
    case = case_at(world, 14, people)
    vote = meet(world, case, lines(roll(world), 4, 4), probationary_present=[observer.pk])
    assert vote.meeting.probationary_present == 1 and vote.meeting.entitled == 6
    with pytest.raises(ValidationError):
        meet(
            world, case_at(world, 14, people), lines(roll(world), 4, 4), probationary_present=[roll(world)[0]]
        )


@pytest.mark.parametrize(("full", "ok"), [(2, False), (3, True)])
def test_branch_under_three_full_members_is_refused(world, people, full, ok):
    case = case_at(world, 14, people)
    keep = roll(world)[:full]
    Member.objects.filter(organisation=world.branch, status="full").exclude(pk__in=keep).update(
        status="suspended"
    )
    if ok:
        assert meet(world, case, lines(keep, full, full)).passed
    else:
        with pytest.raises(RuleViolation) as info:
            meet(world, case, lines(keep, full, full))
        assert info.value.rule.endswith("step15.min_full_members")


def test_confirmation_meeting_takes_the_list(world, people):
    case = case_at(world, 22, people)
    day = D(2025, 4, 15)
    entitled = roll(world, day)
    assert case.member_id not in entitled  # the probationary member has no vote on their own confirmation
    decision = services.confirm(
        actor=world.users["zhibu"], case=case, date=day, attendance=lines(entitled, 4, 4)
    )
    assert decision.meeting.entitled == len(entitled) == 6 and decision.meeting.present == 4


def test_phone_form_lists_the_roll_with_nothing_ticked_and_posts_the_list(world, people, client_as):
    case = case_at(world, 14, people)
    client = client_as(world.users["zhibu"])
    url = reverse("recruitment:step", args=[case.pk]) + "?step=15"
    page = client.get(url).content.decode()
    for member in Member.objects.filter(pk__in=roll(world)):
        assert member.name in page
    assert "checked" not in page
    data = {
        "date": "2024-04-10",
        **{f"m{pk}": "for" for pk in roll(world)[:4]},
        **{f"m{pk}": "absent" for pk in roll(world)[4:]},
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "缺席须写明原因" in response.content.decode()
    data.update({f"m{pk}_reason": "出差" for pk in roll(world)[4:]})
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.step == 15 and case.member is not None

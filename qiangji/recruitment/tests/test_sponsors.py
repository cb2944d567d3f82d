"""Sponsor standing from the punishment's dates (《中国共产党发展党员工作细则》第十四条; 《中国共产党章程》第四十条:
留党察看最长不超过二年, rights restored): each boundary the day before, of and after (issue #11 item 6)."""

import pytest
from django.core.exceptions import ValidationError

from qiangji.members.models import RewardPunishment
from qiangji.members.services.records import add_reward_punishment
from qiangji.recruitment import services
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = pytest.mark.django_db
RULE = "fzdy-2014:step09.sponsor_standing"


def _punish(member, decided_on, **dates):
    return RewardPunishment.objects.create(
        member=member,
        org_path=member.org_path,
        kind="punishment",
        title="留党察看一年",
        decided_on=decided_on,
        **dates,
    )


def _name(world, people, day):
    case = case_at(world, 8, people)  # filed 2024-03-05
    return services.name_sponsors(actor=world.users["zhibu"], case=case, date=day, members=people[:2])


def _check(world, people, day, ok):
    if ok:
        assert _name(world, people, day).step == 9
    else:
        with pytest.raises(RuleViolation) as info:
            _name(world, people, day)
        assert info.value.rule == RULE and "留党察看" in info.value.detail and "第十四条" in info.value.detail


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 3, 5), False), (D(2024, 3, 6), True), (D(2024, 3, 7), True)]
)
def test_standing_again_from_the_day_rights_are_restored(world, people, day, ok):
    """The issue's reproduction: 留党察看 decided 2023-10-01, rights restored 2024-03-06."""
    _punish(people[1], D(2023, 10, 1), ends_on=D(2024, 3, 5), rights_restored_on=D(2024, 3, 6))
    _check(world, people, day, ok)


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 3, 5), False), (D(2024, 3, 6), False), (D(2024, 3, 7), True)]
)
def test_without_a_restoration_date_the_period_ends_on_its_last_day(world, people, day, ok):
    _punish(people[1], D(2023, 3, 7), ends_on=D(2024, 3, 6))
    _check(world, people, day, ok)


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 3, 5), False), (D(2024, 3, 6), False), (D(2024, 3, 7), True)]
)
def test_without_dates_the_longest_period_is_two_years(world, people, day, ok):
    _punish(people[1], D(2022, 3, 6))  # 2 years: last day 2024-03-06
    _check(world, people, day, ok)


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2024, 3, 5), True), (D(2024, 3, 6), False), (D(2024, 3, 7), False)]
)
def test_under_it_from_the_decision_date(world, people, day, ok):
    _punish(people[1], D(2024, 3, 6))
    _check(world, people, day, ok)


def test_a_later_restoration_counts_even_within_two_years(world, people):
    _punish(people[1], D(2023, 10, 1), rights_restored_on=D(2024, 1, 1))
    assert _name(world, people, D(2024, 3, 5)).step == 9


def test_other_punishments_do_not_take_standing(world, people):
    RewardPunishment.objects.create(
        member=people[1],
        org_path=people[1].org_path,
        kind="punishment",
        title="警告",
        decided_on=D(2024, 1, 1),
    )
    assert _name(world, people, D(2024, 3, 5)).step == 9


def test_the_register_writes_the_dates_and_checks_them(world, people):
    xian = world.users["xian"]
    record = add_reward_punishment(
        actor=xian,
        member=people[1],
        kind="punishment",
        title="留党察看一年",
        decided_on=D(2023, 10, 1),
        ends_on=D(2024, 9, 30),
        rights_restored_on=D(2024, 10, 1),
    )
    assert (record.ends_on, record.rights_restored_on) == (D(2024, 9, 30), D(2024, 10, 1))
    for dates, field in (
        ({"ends_on": D(2025, 10, 2)}, "ends_on"),  # beyond two years
        ({"ends_on": D(2023, 9, 30)}, "ends_on"),  # before the decision
        ({"rights_restored_on": D(2023, 9, 30)}, "rights_restored_on"),
    ):
        with pytest.raises(ValidationError) as info:
            add_reward_punishment(
                actor=xian,
                member=people[1],
                kind="punishment",
                title="留党察看二年",
                decided_on=D(2023, 10, 1),
                **dates,
            )
        assert field in info.value.message_dict
    add_reward_punishment(
        actor=xian,
        member=people[1],
        kind="punishment",
        title="留党察看二年",
        decided_on=D(2023, 10, 1),
        ends_on=D(2025, 10, 1),
    )  # two years: the last day allowed
    with pytest.raises(ValidationError) as info:
        add_reward_punishment(
            actor=xian,
            member=people[1],
            kind="reward",
            title="优秀党员",
            decided_on=D(2023, 10, 1),
            ends_on=D(2024, 1, 1),
        )
    assert "ends_on" in info.value.message_dict
    assert RewardPunishment.objects.filter(member=people[1]).count() == 2

"""Due lists: each deadline at its boundary (day before/of/after), working days, overrides, scope, queries."""

import datetime

from qiangji.recruitment.models import Rule, RuleOverride
from qiangji.recruitment.selectors import due
from qiangji.recruitment.tests.ui_factories import make_case

DAY = datetime.date(2026, 11, 2)  # fzdy-2026 applies (effective 2026-05-18)


def codes(rows):
    return {row.deadline.code: (row.overdue, row.soon) for row in rows}


def listed(user, code, *, day=DAY, horizon=30, **kwargs):
    deadline = next(d for d in due.deadline_rules(day) if d.code == code)
    cases = due.rule_cases(due.base_cases(user), deadline, day, horizon, **kwargs)
    return {item.case.name: item for item in due.items(deadline, cases, day)}


def test_talk_within_one_month_boundaries(world):
    """step02.talk_within: due one calendar month after the application (《中国共产党发展党员工作细则》第七条)."""
    zhibu = world.users["zhibu"]
    make_case(world.branch, name="昨天到期", applied_on=datetime.date(2026, 10, 1))  # due 11-01 < DAY
    make_case(world.branch, name="今天到期", applied_on=datetime.date(2026, 10, 2))  # due 11-02 = DAY
    make_case(world.branch, name="明天到期", applied_on=datetime.date(2026, 10, 3))  # due 11-03
    make_case(
        world.branch,
        name="已谈话",
        applied_on=datetime.date(2026, 9, 1),
        step=2,
        talked_on=datetime.date(2026, 9, 20),
    )
    rows = listed(zhibu, "step02.talk_within")
    assert set(rows) == {"昨天到期", "今天到期", "明天到期"}
    assert rows["昨天到期"].overdue and rows["昨天到期"].days_left == -1
    assert not rows["今天到期"].overdue and rows["今天到期"].due_on == DAY
    assert rows["明天到期"].days_left == 1
    assert codes(due.summary(zhibu, day=DAY))["step02.talk_within"] == (1, 2)


def test_month_end_is_clamped(world):
    """A calendar month from 31 January is 28 February (docs/rules.md（日期计算）: a month is a calendar month)."""
    make_case(world.branch, name="一月底", applied_on=datetime.date(2027, 1, 31))
    rows = listed(world.users["zhibu"], "step02.talk_within", day=datetime.date(2027, 2, 28), horizon=0)
    assert rows["一月底"].due_on == datetime.date(2027, 2, 28)
    assert listed(
        world.users["zhibu"], "step02.talk_within", day=datetime.date(2027, 3, 1), horizon=0, soon=False
    )["一月底"].overdue


def test_horizon_limits_what_falls_due(world):
    make_case(world.branch, name="远期", applied_on=datetime.date(2026, 11, 1))  # due 12-01: 29 days
    assert "远期" in listed(world.users["zhibu"], "step02.talk_within", horizon=29)
    assert "远期" not in listed(world.users["zhibu"], "step02.talk_within", horizon=28)


def test_approval_within_three_and_six_months(world):
    """step17: alert at 3 months after the branch meeting, stronger alert at 6 (docs/rules.md §1 step 17)."""
    make_case(world.branch, name="待审批", step=16, admitted_on=datetime.date(2026, 7, 15))
    rows = codes(due.summary(world.users["zhibu"], day=DAY))
    assert rows["step17.approval_within"] == (1, 0)  # due 10-15
    assert rows["step17.approval_limit"] == (0, 0)  # due 2027-01-15: beyond 30 days
    assert codes(due.summary(world.users["zhibu"], day=DAY, horizon=80))["step17.approval_limit"] == (0, 1)


def test_assessment_interval_counts_from_activist_or_last_assessment(world):
    make_case(world.branch, name="从未考察", step=5, activist_on=datetime.date(2026, 5, 2))  # due 11-02
    make_case(
        world.branch,
        name="上次考察",
        step=6,
        activist_on=datetime.date(2025, 1, 1),
        last_assessment_on=datetime.date(2026, 5, 1),
    )  # due 11-01: overdue
    make_case(
        world.branch,
        name="已成为发展对象",
        step=7,
        activist_on=datetime.date(2025, 1, 1),
        last_assessment_on=datetime.date(2025, 1, 2),
        target_on=datetime.date(2026, 2, 1),
    )
    rows = listed(world.users["zhibu"], "step06.assessment_interval")
    assert set(rows) == {"从未考察", "上次考察"}
    assert rows["上次考察"].overdue and not rows["从未考察"].overdue


def test_a_stricter_override_applies_to_its_subtree_only(world):
    """RuleOverride (docs/rules.md §1: stricter, never looser) applies below its node; nested ones combine."""
    rule = Rule.objects.get(rule_set="fzdy-2026", code="step02.talk_within")
    RuleOverride.objects.create(
        rule=rule, organisation=world.branch, org_path=world.branch.path, maximum=0, reason="本支部从严"
    )
    RuleOverride.objects.create(
        rule=rule, organisation=world.street, org_path=world.street.path, maximum=2, reason="街道从严"
    )  # looser than the branch's: the branch keeps 0
    make_case(world.branch, name="本支部", applied_on=datetime.date(2026, 11, 1))
    make_case(world.branch2, name="二支部", applied_on=datetime.date(2026, 11, 1))
    make_case(world.foreign_branch, name="外县", applied_on=datetime.date(2026, 11, 1))
    rows = listed(world.users["sheng"], "step02.talk_within", horizon=90)
    assert rows["本支部"].overdue and rows["本支部"].due_on == datetime.date(2026, 11, 1)
    assert rows["二支部"].due_on == datetime.date(
        2026, 12, 1
    )  # a looser override changes nothing (min of 1, 2)
    assert rows["外县"].due_on == datetime.date(2026, 12, 1)


def test_an_override_may_switch_a_local_rule_on_for_its_subtree(world):
    rule = Rule.objects.get(rule_set="fzdy-2026", code="step23.meeting_within")
    Rule.objects.filter(pk=rule.pk).update(enabled=False)
    RuleOverride.objects.create(
        rule=rule, organisation=world.branch, org_path=world.branch.path, enabled=True, reason="本支部启用"
    )
    for org, name in ((world.branch, "启用"), (world.branch2, "未启用")):
        make_case(
            org,
            name=name,
            step=22,
            admitted_on=datetime.date(2025, 10, 10),
            probation_ends_on=datetime.date(2026, 10, 10),
        )
    assert set(listed(world.users["jiedao"], "step23.meeting_within")) == {"启用"}


def test_working_days_skip_national_day():
    """5 working days from 2026-09-30 skip the National Day holiday (10-01 … 10-08 in the calendar)."""
    partition = due.Partition(where=due.Q(), maximum=5, unit="working_days")
    due_on = partition.due_on(datetime.date(2026, 9, 30))
    assert due_on > datetime.date(2026, 10, 8)
    assert (
        partition.threshold(due_on)
        <= datetime.date(2026, 9, 30)
        < partition.threshold(due_on + datetime.timedelta(days=1))
    )


def test_closed_cases_and_other_subtrees_are_left_out(world):
    make_case(world.branch, name="已终止", applied_on=datetime.date(2026, 10, 1), status="withdrawn")
    make_case(world.foreign_branch, name="外县申请人", applied_on=datetime.date(2026, 10, 1))
    assert listed(world.users["zhibu"], "step02.talk_within") == {}
    assert set(listed(world.users["foreign"], "step02.talk_within")) == {"外县申请人"}
    assert listed(world.users["nobody"], "step02.talk_within") == {}


def test_rule_set_follows_the_day():
    assert due.rule_set_on(datetime.date(2026, 5, 17)) == "fzdy-2014"
    assert due.rule_set_on(datetime.date(2026, 5, 18)) == "fzdy-2026"


def test_oath_rule_only_under_fzdy_2026(db):
    before = {d.code for d in due.deadline_rules(datetime.date(2026, 5, 17))}
    after = {d.code for d in due.deadline_rules(datetime.date(2026, 5, 18))}
    assert "step20.oath_within" in after and "step20.oath_within" not in before


def test_summary_is_one_query_per_rule(world, django_assert_max_num_queries):
    for index in range(20):
        make_case(world.branch, applied_on=datetime.date(2026, 10, 1) + datetime.timedelta(days=index))
    deadlines = len(due.deadline_rules(DAY))
    with django_assert_max_num_queries(deadlines + 4):
        due.summary(world.users["zhibu"], day=DAY)

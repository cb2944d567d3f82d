"""`qiangji generate` history: every module written, keys and paths consistent, the rule tables respected,
rollups equal to what the services compute, exceptions present, deterministic, one run only."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q

from qiangji.core.dates import add_years
from qiangji.core.models import AuditEntry
from qiangji.dues.models import DuesAccount, DuesBase, Payment
from qiangji.dues.services import refresh_account
from qiangji.life.models import Attendance, BranchLifeYear, Meeting, MemberLife, MonthlyTheme
from qiangji.life.services.rollups import _refresh_row, refresh_member_life
from qiangji.members.models import Member
from qiangji.mobility.demo import split_destination
from qiangji.mobility.models import MobileFlow, Transfer
from qiangji.orgs.models import Committee, Organisation
from qiangji.recruitment.choices import REFERENCE_FIELDS
from qiangji.recruitment.models import Case, DevelopmentPlan, Mentor, Rule, SignOff, Sponsor, StepRecord
from qiangji.recruitment.rules import add_period
from qiangji.tooling.generate import generate, make_plan

AS_OF = datetime.date(2026, 11, 1)


def county(seed=1, members=700, orgs=110, **extra):
    return generate(
        make_plan(scale="county", seed=seed, members=members, orgs=orgs, as_of=AS_OF, **extra),
        progress=lambda message: None,
    )


def history_signature():
    return (
        list(
            Case.objects.order_by("org_path", "id_number_hash").values_list(
                "org_path", "id_number_hash", "step", "status", "applied_on", "admitted_on", "confirmed_on"
            )
        ),
        list(
            Meeting.objects.order_by("org_path", "held_on", "meeting_type__code").values_list(
                "org_path", "meeting_type__code", "held_on", "due_count", "present_count", "guest_count"
            )
        ),
        sorted(Counter(Attendance.objects.values_list("member__id_number_hash", "status")).items()),
        list(
            Payment.objects.order_by("member__id_number_hash", "month").values_list(
                "member__id_number_hash", "month", "amount", "paid_on"
            )
        ),
        list(
            MobileFlow.objects.order_by("member__id_number_hash", "left_on").values_list(
                "member__id_number_hash", "status", "left_on"
            )
        ),
    )


@pytest.fixture
def loaded(db):
    return county()


@pytest.mark.django_db
def test_every_module_gets_history(loaded):
    counts = loaded.history
    for table in (
        "cases",
        "step_records",
        "mentors",
        "sponsors",
        "signoffs",
        "meetings",
        "attendance",
        "branch_life_years",
        "member_life",
        "mobile_flows",
        "dues_bases",
        "dues_accounts",
        "payments",
        "development_plans",
        "monthly_themes",
    ):
        assert counts.get(table, 0) > 0, table
    assert Case.objects.count() == counts["cases"] and Attendance.objects.count() == counts["attendance"]
    assert len(set(Case.objects.values_list("step", flat=True))) >= 15  # spread over the 25 steps
    assert 0.1 < Case.objects.count() / Member.objects.count() < 0.25  # 500,000 for 3 million at province


@pytest.mark.django_db
def test_paths_and_keys_are_consistent(loaded):
    assert not Case.objects.exclude(org_path=F("organisation__path")).exists()
    assert not StepRecord.objects.exclude(org_path=F("case__org_path")).exists()
    assert not Mentor.objects.exclude(org_path=F("case__org_path")).exists()
    assert not Mentor.objects.exclude(member__organisation=F("case__organisation")).exists()
    assert not Sponsor.objects.exclude(member__status="full").exists()
    assert not Meeting.objects.exclude(org_path=F("organisation__path")).exists()
    assert not Attendance.objects.exclude(org_path=F("meeting__org_path")).exists()
    assert not BranchLifeYear.objects.exclude(org_path=F("organisation__path")).exists()
    assert not MemberLife.objects.exclude(org_path=F("member__org_path")).exists()
    assert not Payment.objects.exclude(org_path=F("member__org_path")).exists()
    assert not Payment.objects.exclude(organisation=F("member__organisation")).exists()
    assert not MobileFlow.objects.exclude(org_path=F("member__org_path")).exists()
    assert not MobileFlow.objects.filter(in_org__isnull=False).exclude(other_path=F("in_org__path")).exists()
    assert not Transfer.objects.exclude(org_path=F("from_org__path")).exists()
    assert not Transfer.objects.exclude(other_path=F("to_org__path")).exists()
    assert not DevelopmentPlan.objects.exclude(org_path=F("organisation__path")).exists()
    root = Organisation.objects.get(depth=1)
    assert set(MonthlyTheme.objects.values_list("org_path", flat=True)) == {root.path}
    for model in (Case, Meeting, Attendance, Payment, MobileFlow):  # everything inside the generated county
        assert not model.objects.exclude(org_path__startswith=root.path).exists()


@pytest.mark.django_db
def test_steps_respect_the_rule_tables(loaded):
    """No step before its prerequisite: every gate with a minimum period after a reference step holds,
    the steps of a case are dated in order, and the member's admission is the case's."""
    dates = {}
    for case_id, step, day in StepRecord.objects.values_list("case_id", "step", "occurred_on"):
        dates.setdefault(case_id, {}).setdefault(step, []).append(day)
    for case_id, steps in dates.items():
        ordered = [max(steps[s]) if s != 6 else min(steps[s]) for s in sorted(steps)]
        assert ordered == sorted(ordered), (case_id, steps)
        assert set(steps) == set(range(1, max(steps) + 1)), (case_id, sorted(steps))
    gates = Rule.objects.filter(
        kind="gate", minimum__isnull=False, reference_step__isnull=False, unit__in=["days", "months", "years"]
    )
    assert gates.exists()
    for rule in gates:
        for case_id, steps in dates.items():
            if rule.step in steps and rule.reference_step in steps:
                earliest = add_period(min(steps[rule.reference_step]), rule.minimum, rule.unit)
                assert min(steps[rule.step]) >= earliest, (rule.code, case_id, steps)
    for case in Case.objects.select_related("member"):
        assert case.applied_on >= add_years(case.birth_date, 18)
        assert case.last_step_on <= AS_OF and case.step == max(dates[case.pk])
        for number, column in REFERENCE_FIELDS.items():
            if number in dates[case.pk] and number != 21:
                assert getattr(case, column) == max(dates[case.pk][number])
        if case.admitted_on:
            assert case.probation_ends_on == add_years(case.admitted_on, 1)
            assert case.member is not None and case.member.joined_on == case.admitted_on
            assert (case.status == "probationary") == (case.member.status == "probationary")
        if case.pre_reviewed_on and case.admitted_on:  # fzdy-2026: the branch meeting within a month
            assert (case.admitted_on - case.pre_reviewed_on).days <= 28
    assert (
        not SignOff.objects.filter(step=17)
        .exclude(organisation__kind__in=["committee", "working_committee", "industry_committee"])
        .exists()
    )  # no general branch approves


@pytest.mark.django_db
def test_attendance_only_by_branch_members_or_registered_guests(loaded):
    own = Attendance.objects.filter(is_guest=False)
    assert own.exists()
    assert not own.exclude(member__organisation=F("meeting__organisation")).exists()
    assert not own.filter(member__joined_on__gt=F("meeting__held_on")).exists()
    for row in Attendance.objects.filter(is_guest=True).select_related("meeting"):
        assert MobileFlow.objects.filter(
            member_id=row.member_id,
            in_org_id=row.meeting.organisation_id,
            status="active",
            accepted_on__lte=row.meeting.held_on,
        ).exists()
        assert row.home_org_path == row.member.org_path
    for meeting in Meeting.objects.filter(attendances__isnull=False).distinct()[:200]:
        rows = Counter(meeting.attendances.values_list("is_guest", "status"))
        assert (
            meeting.present_count == rows[(False, "present")]
            and meeting.guest_count == rows[(True, "present")]
        )
        assert meeting.due_count == rows[(False, "present")] + rows[(False, "absent")]


@pytest.mark.django_db
def test_rollups_equal_what_the_services_compute(loaded):
    before = sorted(
        BranchLifeYear.objects.values_list(
            "organisation_id",
            "year",
            "meeting_type_id",
            "held_months",
            "held_count",
            "held_month_count",
            "held_quarter_count",
            "due_sum",
            "present_sum",
            "checklist_required",
            "checklist_done",
        )
    )
    for org_id, path, year, type_id in BranchLifeYear.objects.values_list(
        "organisation_id", "org_path", "year", "meeting_type_id"
    ):
        _refresh_row(org_id, path, year, type_id)
    after = sorted(
        BranchLifeYear.objects.values_list(
            "organisation_id",
            "year",
            "meeting_type_id",
            "held_months",
            "held_count",
            "held_month_count",
            "held_quarter_count",
            "due_sum",
            "present_sum",
            "checklist_required",
            "checklist_done",
        )
    )
    assert before == after
    life = dict(MemberLife.objects.values_list("member_id", "last_attended_on"))
    refresh_member_life(Member.objects.values_list("pk", flat=True))
    assert dict(MemberLife.objects.values_list("member_id", "last_attended_on")) == life
    accounts = dict(DuesAccount.objects.values_list("member_id", "paid_through"))
    for member in Member.objects.filter(pk__in=list(accounts)[:150]):
        assert refresh_account(member).paid_through == accounts[member.pk]


@pytest.mark.django_db
def test_exceptions_are_real(loaded):
    from qiangji.recruitment.selectors.due import deadline_rules, rule_cases

    overdue = sum(
        rule_cases(Case.objects.all(), rule, AS_OF, 30, soon=False).count() for rule in deadline_rules(AS_OF)
    )
    assert overdue > 0
    six_months = AS_OF - datetime.timedelta(days=183)
    assert MemberLife.objects.filter(last_attended_on__lt=six_months).exists()
    assert DuesAccount.objects.filter(
        Q(paid_through__lt=datetime.date(2026, 5, 1)) | Q(paid_through__isnull=True)
    ).exists()
    assert MobileFlow.objects.filter(status="outflow").exists()
    assert Member.objects.filter(is_mobile=True).exclude(flows__isnull=False).exists()  # registered nowhere
    share = Committee.objects.filter(term_ends_on__lt=AS_OF).count() / Committee.objects.count()
    assert 0.01 < share < 0.15
    # a branch with theme days missing in the last year, or a quarter without a general meeting
    theme = BranchLifeYear.objects.filter(meeting_type__code="theme_day", year=2026)
    assert theme.filter(held_month_count__lt=9).exists()


@pytest.mark.django_db
def test_dues_follow_the_table(loaded):
    for base in DuesBase.objects.select_related("rule")[:300]:
        if base.category == "farmer":
            assert base.rule is None and base.monthly_amount > 0
        elif base.income is not None:
            assert base.rule.upper is None or base.income <= base.rule.upper
            assert base.monthly_amount == (base.income * base.rule.rate_percent / 100).quantize(
                base.monthly_amount
            )
    assert not Payment.objects.filter(paid_on__lt=F("month")).exists()
    assert not Payment.objects.filter(month__gt=AS_OF).exists()
    assert not Payment.objects.exclude(amount=F("expected_amount")).exists()
    from django.db.models import Count

    assert (
        not Payment.objects.values("batch")
        .annotate(n=Count("member", distinct=True))
        .filter(n__gt=1)
        .exists()
    )


@pytest.mark.django_db
def test_same_seed_same_history():
    county(seed=4, members=300, orgs=60)
    first = history_signature()
    assert first[0] and first[1] and first[3]
    _wipe()
    county(seed=4, members=300, orgs=60)
    assert history_signature() == first
    _wipe()
    county(seed=5, members=300, orgs=60)
    assert history_signature()[0] != first[0]


@pytest.mark.django_db
def test_history_as_an_add_on_then_refused_a_second_time():
    out = io.StringIO()
    call_command(
        "generate", scale="county", seed=2, members=300, orgs=60, as_of=AS_OF, no_history=True, stdout=out
    )
    assert not Case.objects.exists() and not Meeting.objects.exists()
    call_command("generate", scale="county", seed=2, as_of=AS_OF, history=True, stdout=out)
    assert "历史数据" in out.getvalue() and Case.objects.exists() and Payment.objects.exists()
    entry = AuditEntry.objects.get(action="core.data.history_generated")
    assert entry.after["counts"]["cases"] == Case.objects.count()
    assert AuditEntry.objects.filter(action="core.data.generated").count() == 1
    cases = Case.objects.count()
    with pytest.raises(CommandError, match="只能运行一次"):
        call_command("generate", scale="county", seed=2, as_of=AS_OF, history=True, stdout=out)
    assert Case.objects.count() == cases


@pytest.mark.django_db
def test_add_on_writes_what_the_combined_run_writes():
    county(seed=6, members=300, orgs=60)
    combined = history_signature()
    _wipe()
    county(seed=6, members=300, orgs=60, history=False)
    call_command("generate", scale="county", seed=6, as_of=AS_OF, history=True, stdout=io.StringIO())
    assert history_signature() == combined


@pytest.mark.django_db
def test_history_without_organisations_is_refused():
    with pytest.raises(CommandError, match="请先运行 qiangji generate"):
        call_command("generate", scale="county", history=True, stdout=io.StringIO())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("江苏省苏州市昆山市", ("江苏省", "苏州市", "昆山市")),
        ("北京市朝阳区", ("北京市", "", "朝阳区")),
        ("广东省东莞市", ("广东省", "东莞市", "")),
        ("山东省青岛市黄岛区", ("山东省", "青岛市", "黄岛区")),
    ],
)
def test_destinations_are_split(text, expected):
    assert split_destination(text) == expected


def _wipe():
    from qiangji.tooling.tests.test_generate import wipe

    wipe()


@pytest.mark.django_db
def test_resume_skips_the_counties_done_and_part_must_be_i_of_n():
    county(seed=3, members=200, orgs=40)
    cases, meetings = Case.objects.count(), Meeting.objects.count()
    out = io.StringIO()
    call_command("generate", scale="county", seed=3, as_of=AS_OF, history=True, resume=True, stdout=out)
    assert "跳过" in out.getvalue()
    assert (Case.objects.count(), Meeting.objects.count()) == (cases, meetings)
    for bad in ("2/2", "x", "1/0"):
        with pytest.raises(CommandError, match="--part"):
            call_command(
                "generate", scale="county", history=True, resume=True, part=bad, stdout=io.StringIO()
            )

"""Weak-organisation detection on generated data with known answers; plans and the higher sign-off."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qiangji.assessment import services, weak
from qiangji.assessment.models import WeakFlag
from qiangji.assessment.tests.helpers import AS_OF, YEAR, hold_life
from qiangji.orgs.models import Committee, CommitteeMember, Organisation
from qiangji.recruitment.models import DevelopmentPlan
from qiangji.testing import add_org

pytestmark = pytest.mark.django_db

SECRETARY = ("serving", "vacant_long", "vacant_exact", "never")
MEETINGS = ("full", "skip_group", "skip_two")  # 48/48, 36/48 (= 0.75: not weak), 24/48
CATEGORY = ("community", "rural_plan", "rural_none")


def _secretary(org, state):
    if state == "never":
        Organisation.objects.filter(pk=org.pk).update(founded_on=datetime.date(2020, 1, 1))
        return
    committee = Committee.objects.create(
        organisation=org,
        org_path=org.path,
        elected_on=datetime.date(2025, 1, 1),
        term_years=3,
        term_ends_on=datetime.date(2027, 12, 31),
    )
    ended = {
        "serving": None,
        "vacant_long": datetime.date(2026, 9, 3),
        "vacant_exact": datetime.date(2026, 9, 4),
    }[state]
    CommitteeMember.objects.create(
        committee=committee,
        org_path=org.path,
        name="书记",
        post="secretary",
        started_on=datetime.date(2025, 1, 1),
        ended_on=ended,
    )


def generate(world, seed=20261204, count=30):
    rng = random.Random(seed)
    expected: dict[int, set[str]] = {}
    for n in range(count):
        sec, meet, cat = rng.choice(SECRETARY), rng.choice(MEETINGS), rng.choice(CATEGORY)
        org = add_org(
            world.community,
            f"生成支部{n:02d}",
            "branch",
            "community" if cat == "community" else "rural",
            region_code="370124",
        )
        _secretary(org, sec)
        hold_life(
            org, skip={"full": (), "skip_group": ("group",), "skip_two": ("group", "branch_committee")}[meet]
        )
        if cat == "rural_plan":
            DevelopmentPlan.objects.create(
                organisation=org, org_path=org.path, year=YEAR - 1, group="farmer", planned=1
            )
        reasons = set()
        if sec in ("vacant_long", "never"):
            reasons.add("secretary_vacant")
        if meet == "skip_two":
            reasons.add("meetings_missing")
        if cat == "rural_none":
            reasons.add("no_development")
        if reasons:
            expected[org.pk] = reasons
    # the two fixture branches: no secretary, no meetings, community
    for org in (world.branch, world.branch2):
        expected[org.pk] = {"secretary_vacant", "meetings_missing"}
    return expected


def test_detection_matches_the_generated_answers(world):
    expected = generate(world)
    services.seed_weak_criteria(actor=world.users["xian"], organisation=world.county, year=YEAR)
    found = weak.detect(world.county, YEAR, AS_OF)
    got = {oid: {r["code"] for r in reasons if r["code"] != "bottom_share"} for oid, reasons in found.items()}
    got = {oid: codes for oid, codes in got.items() if codes}
    assert got == expected
    flags = services.detect_weak(actor=world.users["xian"], organisation=world.county, year=YEAR, as_of=AS_OF)
    assert {f.organisation_id for f in flags} == set(found)
    again = services.detect_weak(actor=world.users["xian"], organisation=world.county, year=YEAR, as_of=AS_OF)
    assert len(again) == len(flags) and WeakFlag.objects.count() == len(flags)  # idempotent


@pytest.mark.parametrize(("extra", "flagged"), [(18, 1), (19, 2)])
def test_bottom_share_takes_the_last_five_percent(world, extra, flagged):
    """20 organisations × 5 % = 1 exactly; 21 → 1.05, rounded up to 2 (ties broken by the tree order)."""
    for n in range(extra):
        add_org(world.community, f"排名支部{n:02d}", "branch", "community", region_code="370124")
    indicator_set = services.create_example_set(
        actor=world.users["xian"], organisation=world.county, year=YEAR
    )
    hold_life(world.branch2)  # everyone else scores the same; branch (no life) is last
    for org in Organisation.objects.filter(name__startswith="排名支部"):
        hold_life(org)
    run = services.compute_run(actor=world.users["xian"], indicator_set=indicator_set, as_of=AS_OF)
    services.publish_run(actor=world.users["xian"], run=run)
    services.save_weak_criterion(
        actor=world.users["xian"], organisation=world.county, year=YEAR, code="bottom_share", parameter="5"
    )
    found = weak.detect(world.county, YEAR, AS_OF)
    assert list(found) == [world.branch.pk, world.branch2.pk][:flagged]
    assert found[world.branch.pk][0]["text"].startswith("年度考核")


def test_plan_evidence_and_sign_off_by_the_higher_committee(world):
    services.seed_weak_criteria(actor=world.users["xian"], organisation=world.county, year=YEAR)
    flag = next(
        f
        for f in services.detect_weak(
            actor=world.users["xian"], organisation=world.county, year=YEAR, as_of=AS_OF
        )
        if f.organisation_id == world.branch.pk
    )
    with pytest.raises(ValidationError) as error:
        services.save_plan(
            actor=world.users["zhibu"],
            flag=flag,
            measures="x",
            deadline=AS_OF - datetime.timedelta(days=1),
            responsible="李四",
        )
    assert "deadline" in error.value.message_dict
    plan = services.save_plan(
        actor=world.users["zhibu"],
        flag=flag,
        measures="选配书记；补开会议",
        deadline=AS_OF,
        responsible="李四",
    )
    with pytest.raises(ValidationError):  # nothing to sign off yet
        services.sign_off_plan(actor=world.users["jiedao"], plan=plan, note="x")
    plan = services.submit_evidence(actor=world.users["zhibu"], plan=plan, evidence="选举结果报告")
    with pytest.raises(ValidationError) as error:  # the branch cannot sign off its own plan
        services.sign_off_plan(actor=world.users["zhibu"], plan=plan, note="x")
    assert "上级党委" in error.value.message_dict["sign_off_note"][0]
    plan = services.sign_off_plan(actor=world.users["jiedao"], plan=plan, note="验收合格")
    assert plan.status == "signed_off" and plan.signed_off_by == world.users["jiedao"]
    # a flag with a plan survives a later detection that no longer finds the organisation
    services.save_weak_criterion(
        actor=world.users["xian"],
        organisation=world.county,
        year=YEAR,
        code="secretary_vacant",
        parameter="3",
        enabled=False,
    )
    services.save_weak_criterion(
        actor=world.users["xian"],
        organisation=world.county,
        year=YEAR,
        code="meetings_missing",
        parameter="0.75",
        enabled=False,
    )
    services.detect_weak(actor=world.users["xian"], organisation=world.county, year=YEAR, as_of=AS_OF)
    assert WeakFlag.objects.filter(pk=flag.pk).exists()
    assert not WeakFlag.objects.filter(organisation=world.branch2).exists()


def test_colour_grades_of_villages(world):
    village = add_org(world.community, "某村党支部", "branch", "rural", region_code="370124")
    services.seed_weak_criteria(actor=world.users["xian"], organisation=world.county, year=YEAR)
    rows = weak.colour_grades(world.county, YEAR)
    assert [(r["name"], r["colour"]) for r in rows] == [("某村党支部", "grey")]
    services.detect_weak(actor=world.users["xian"], organisation=world.county, year=YEAR, as_of=AS_OF)
    assert weak.colour_grades(world.county, YEAR)[0]["colour"] == "red"
    assert village.pk in set(WeakFlag.objects.values_list("organisation_id", flat=True))


def test_criterion_refusals(world):
    for kwargs, field in (
        ({"code": "nope", "parameter": "3"}, "code"),
        ({"code": "secretary_vacant", "parameter": "0"}, "parameter"),
        ({"code": "secretary_vacant", "parameter": "abc"}, "parameter"),
    ):
        with pytest.raises(ValidationError) as error:
            services.save_weak_criterion(
                actor=world.users["xian"], organisation=world.county, year=YEAR, **kwargs
            )
        assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        services.detect_weak(actor=world.users["xian"], organisation=world.county, year=YEAR)


from qiangji.service.tests.conftest import _sms_console, desk  # noqa: E402,F401 -- the service desk fixtures (SMS console, categories, a place)


@pytest.mark.parametrize(("good", "bad", "flagged"), [(3, 2, False), (1, 1, True), (0, 1, True)])
def test_low_satisfaction_from_the_request_desk(world, desk, good, bad, flagged):  # noqa: F811
    """60 % exactly (3 of 5) is not weak; 50 % and 0 % are."""
    from qiangji.service.models import Request
    from qiangji.service.tests.test_services import submit_web

    ids = [submit_web(desk)[0].pk for _ in range(good + bad)]
    assert set(Request.objects.filter(pk__in=ids).values_list("first_org_id", flat=True)) == {world.branch.pk}
    Request.objects.filter(pk__in=ids[:good]).update(rating="satisfied")
    Request.objects.filter(pk__in=ids[good:]).update(rating="unsatisfied")
    services.save_weak_criterion(
        actor=world.users["xian"],
        organisation=world.county,
        year=YEAR,
        code="low_satisfaction",
        parameter="60",
    )
    found = weak.low_satisfaction(world.county, YEAR, Decimal("60"))
    assert (world.branch.pk in found) is flagged

"""Scores computed set-wise from the records, with known answers; every published score recomputes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qiangji.assessment import indicators, scoring, services
from qiangji.assessment.choices import AdjustmentKind, LineKind
from qiangji.assessment.models import Indicator, Score, ScoreLine
from qiangji.assessment.tests.helpers import AS_OF, complete_records, elect, good_branch, hold_life, pay_dues
from qiangji.core.models import AuditEntry
from qiangji.recruitment.tests.ui_factories import make_case

pytestmark = pytest.mark.django_db
SOURCE, CHANNEL, PROVIDER = "class", "offline", "upper"


def _manual(world, example_set, org, points):
    role = Indicator.objects.get(indicator_set=example_set, code="role")
    services.record_manual_score(
        actor=world.users["jiedao"], indicator=role, organisation=org, points=points, evidence="群众评议表"
    )


def test_known_answers(world, example_set):
    good_branch(world.branch)
    _manual(world, example_set, world.branch, "12")
    services.record_adjustment(
        actor=world.users["xian"],
        indicator_set=example_set,
        organisation=world.branch,
        kind=AdjustmentKind.ADDITION,
        points="2",
        reason="市级表彰",
        evidence="表彰文件",
    )
    services.record_adjustment(
        actor=world.users["xian"],
        indicator_set=example_set,
        organisation=world.branch,
        kind=AdjustmentKind.DEDUCTION,
        points="3",
        reason="通报批评",
        evidence="通报",
    )
    hold_life(world.branch2, skip=("group",))  # 36 of 48 required meetings: 0.75 → half of 30 points
    computed = {c.org_id: c for c in scoring.compute(example_set, AS_OF)}
    assert set(computed) == {world.branch.pk, world.branch2.pk}  # the foreign county is not in the set
    a = computed[world.branch.pk]
    assert [line.points for line in a.lines] == [
        Decimal(x) for x in ("30", "15", "20", "10", "10", "12", "2", "-3")
    ]
    assert (a.base_points, a.bonus, a.deduction, a.total, a.stars) == (97, 2, 3, Decimal("96.00"), 5)
    b = computed[world.branch2.pk]
    life = b.lines[0]
    assert (life.numerator, life.denominator, life.value, life.points) == (
        36,
        48,
        Decimal("0.7500"),
        Decimal("15.00"),
    )
    assert b.total == Decimal("60.00") and b.stars == 1  # 15 + 15 (no cases) + 20 (no members) + 0 + 10 + 0


def test_boundaries_of_points_and_stars(world, example_set):
    dues = Indicator.objects.get(indicator_set=example_set, code="dues")  # floor 0.8, target 1
    assert scoring.points_for(dues, indicators.Measure(8, 10)) == (Decimal("0"), Decimal("0.8000"))
    assert scoring.points_for(dues, indicators.Measure(9, 10))[0] == Decimal("10.00")
    assert scoring.points_for(dues, indicators.Measure(10, 10))[0] == Decimal("20")
    assert scoring.points_for(dues, indicators.Measure(0, 0)) == (Decimal("20.00"), None)
    thresholds = [(5, Decimal(95)), (4, Decimal(85)), (1, Decimal(60))]
    assert scoring.stars_for(Decimal("95.00"), thresholds, False) == 5
    assert scoring.stars_for(Decimal("94.99"), thresholds, False) == 4
    assert scoring.stars_for(Decimal("59.99"), thresholds, False) == 0
    assert scoring.stars_for(Decimal("99"), thresholds, True) == 0


def test_each_source_against_its_records(world, example_set):
    pay_dues(world.branch, unpaid=("王五",))  # 3 of 4 paid up to November
    complete_records(world.branch, 80)
    elect(world.branch, elected_on=__import__("datetime").date(2021, 1, 1))  # ended 2023-12-31: overdue
    make_case(world.branch, step=12, name="超期对象")
    ctx = scoring.context(example_set, AS_OF)
    orgs = scoring.org_set(example_set)
    assert indicators.dues_compute(orgs, ctx)[world.branch.pk] == indicators.Measure(3, 4)
    assert indicators.completeness_compute(orgs, ctx)[world.branch.pk] == indicators.Measure(320, 400)
    assert indicators.terms_compute(orgs, ctx)[world.branch.pk] == indicators.Measure(0, 1)
    missing = [i.label for i in indicators.dues_explain(world.branch, ctx) if not i.ok]
    assert missing == ["王五：连续交至 2026-05（应交至 2026-11）"]
    assert all(i.url.startswith("/dues/members/") for i in indicators.dues_explain(world.branch, ctx))
    terms = indicators.terms_explain(world.branch, ctx)
    assert [i.ok for i in terms] == [False] and terms[0].url == f"/orgs/{world.branch.pk}/"
    development = indicators.development_compute(orgs, ctx)[world.branch.pk]
    explained = indicators.development_explain(world.branch, ctx)
    late = [i for i in explained if not i.ok]
    assert development.denominator == 1 and development.numerator == max(1 - len(late), 0)


def test_run_publish_and_every_published_score_recomputes(world, example_set):
    good_branch(world.branch)
    hold_life(world.branch2, skip=("group", "theme_day"))
    pay_dues(world.branch, unpaid=("赵六",))
    _manual(world, example_set, world.branch2, "7.5")
    run = services.compute_run(actor=world.users["xian"], indicator_set=example_set, as_of=AS_OF)
    assert run.org_count == 2 and run.status == "draft"
    services.publish_run(actor=world.users["xian"], run=run)
    assert AuditEntry.objects.filter(action="assessment.run.published", target_id=str(run.pk)).exists()
    fresh = {c.org_id: c for c in scoring.compute(example_set, run.as_of)}
    for score in Score.objects.filter(run=run):
        again = fresh[score.organisation_id]
        assert (score.total, score.stars, score.base_points, score.bonus, score.deduction) == (
            again.total,
            again.stars,
            again.base_points,
            again.bonus,
            again.deduction,
        )
        stored = list(ScoreLine.objects.filter(score=score).order_by("pk").values_list("kind", "points"))
        assert stored == [(line.kind, line.points) for line in again.lines]
        assert (
            sum(p for k, p in stored if k != LineKind.VETO)
            == score.base_points + score.bonus - score.deduction
            or score.total == 0
        )


def test_veto_and_bonus_cap(world, example_set):
    good_branch(world.branch)
    for reason in ("市级表彰", "省级表彰"):
        services.record_adjustment(
            actor=world.users["xian"],
            indicator_set=example_set,
            organisation=world.branch,
            kind=AdjustmentKind.ADDITION,
            points="4",
            reason=reason,
            evidence="文件",
        )
    first = {c.org_id: c for c in scoring.compute(example_set, AS_OF)}[world.branch.pk]
    assert first.bonus == Decimal("5")  # capped at max_bonus
    services.record_adjustment(
        actor=world.users["xian"],
        indicator_set=example_set,
        organisation=world.branch,
        kind=AdjustmentKind.VETO,
        points="0",
        reason="发生严重违纪",
        evidence="处分决定",
    )
    second = {c.org_id: c for c in scoring.compute(example_set, AS_OF)}[world.branch.pk]
    assert second.vetoed and second.stars == 0


def test_refusals_name_the_field_and_save_nothing(world, example_set):
    role = Indicator.objects.get(indicator_set=example_set, code="role")
    life = Indicator.objects.get(indicator_set=example_set, code="life")
    cases = [
        (
            dict(
                actor=world.users["zhibu"],
                indicator=role,
                organisation=world.branch,
                points="5",
                evidence="x",
            ),
            "organisation",
        ),
        (
            dict(
                actor=world.users["jiedao"],
                indicator=role,
                organisation=world.branch,
                points="16",
                evidence="x",
            ),
            "points",
        ),
        (
            dict(
                actor=world.users["jiedao"],
                indicator=role,
                organisation=world.branch,
                points="abc",
                evidence="x",
            ),
            "points",
        ),
        (
            dict(
                actor=world.users["jiedao"],
                indicator=role,
                organisation=world.branch,
                points="5",
                evidence=" ",
            ),
            "evidence",
        ),
        (
            dict(
                actor=world.users["jiedao"],
                indicator=life,
                organisation=world.branch,
                points="5",
                evidence="x",
            ),
            "indicator",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            services.record_manual_score(**kwargs)
        assert field in error.value.message_dict
    assert not role.manual_scores.exists()
    with pytest.raises(ValidationError) as error:
        services.compute_run(actor=world.users["jiedao"], indicator_set=example_set)
    assert "indicator_set" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.save_indicator(
            actor=world.users["xian"],
            indicator_set=example_set,
            code="x",
            name="x",
            kind="computed",
            weight="5",
            source_key="nope",
        )
    assert "source_key" in error.value.message_dict


def test_training_coverage_from_the_education_ledger(world, example_set):
    from qiangji.education.models import HourEntry
    from qiangji.education.selectors import rules

    members = list(world.branch.members.order_by("pk"))
    needed = max(rules().get("member_annual", 64), 200)
    HourEntry.objects.create(
        member=members[0],
        org_path=world.branch.path,
        year=2026,
        source=SOURCE,
        channel=CHANNEL,
        provider=PROVIDER,
        half_hours=needed,
        title="集中轮训",
        held_on=AS_OF,
    )
    ctx = scoring.context(example_set, AS_OF)
    orgs = scoring.org_set(example_set)
    assert indicators.training_compute(orgs, ctx)[world.branch.pk] == indicators.Measure(1, 4)
    explained = indicators.training_explain(world.branch, ctx)
    assert [item.ok for item in explained].count(True) == 1 and len(explained) == 4
    assert all(item.url.startswith("/education/members/") for item in explained)

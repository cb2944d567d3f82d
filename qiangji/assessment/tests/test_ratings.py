"""The star-rating workflow: roles at each step, quotas at the level that sets them, notice, appeals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.assessment import services
from qiangji.assessment.models import Score, StarChange, StarRating
from qiangji.assessment.tests.helpers import AS_OF
from qiangji.core.models import AuditEntry
from qiangji.testing import add_org

pytestmark = pytest.mark.django_db


def _published(world, example_set, extra_branches=0):
    for n in range(extra_branches):
        add_org(world.community, f"幸福社区第{n + 3}党支部", "branch", "community", region_code="370124")
    run = services.compute_run(actor=world.users["xian"], indicator_set=example_set, as_of=AS_OF)
    return services.publish_run(actor=world.users["xian"], run=run)


def _to_reviewed(world, score, stars=5):
    rating = services.self_assess(actor=world.users["xian"], score=score, stars=stars, note="自评")
    return services.review_rating(actor=world.users["jiedao"], rating=rating, stars=stars, note="同意")


def test_full_workflow_with_objection_and_appeal(world, example_set):
    run = _published(world, example_set)
    score = Score.objects.get(run=run, organisation=world.branch)
    rating = services.self_assess(actor=world.users["zhibu"], score=score, stars=3, note="按要求开展")
    with pytest.raises(ValidationError) as error:  # a branch never reviews itself
        services.review_rating(actor=world.users["zhibu"], rating=rating, stars=3, note="x")
    assert "review_stars" in error.value.message_dict
    rating = services.review_rating(actor=world.users["jiedao"], rating=rating, stars=2, note="组织生活不够")
    with pytest.raises(ValidationError) as error:  # the street reviews, the county (set owner) decides
        services.decide_rating(actor=world.users["jiedao"], rating=rating, stars=2, note="x")
    assert "decided_stars" in error.value.message_dict
    rating = services.decide_rating(actor=world.users["xian"], rating=rating, stars=2, note="党委会研究")
    start = datetime.date(2026, 12, 7)
    rating = services.open_notice(actor=world.users["xian"], rating=rating, starts_on=start)
    assert rating.notice_ends == datetime.date(2026, 12, 11)  # five days, both ends included
    with pytest.raises(ValidationError):
        services.raise_objection(
            actor=world.users["zhibu"], rating=rating, text="x", on=datetime.date(2026, 12, 12)
        )
    objection = services.raise_objection(actor=world.users["zhibu"], rating=rating, text="漏记党课", on=start)
    with pytest.raises(ValidationError):  # unresolved objection
        services.finalise_rating(actor=world.users["xian"], rating=rating, on=datetime.date(2026, 12, 12))
    services.resolve_objection(
        actor=world.users["xian"], objection=objection, upheld=False, resolution="经核实无误"
    )
    with pytest.raises(ValidationError):  # the last day of the notice
        services.finalise_rating(actor=world.users["xian"], rating=rating, on=datetime.date(2026, 12, 11))
    rating = services.finalise_rating(
        actor=world.users["xian"], rating=rating, on=datetime.date(2026, 12, 12)
    )
    assert rating.final_stars == 2
    appeal = services.file_appeal(
        actor=world.users["zhibu"], rating=rating, reason="党课记录在案", on=datetime.date(2026, 12, 27)
    )
    services.decide_appeal(
        actor=world.users["xian"],
        appeal=appeal,
        decision="upheld",
        reason="补充记录属实",
        stars=3,
        on=datetime.date(2026, 12, 30),
    )
    rating.refresh_from_db()
    assert rating.final_stars == 3
    history = list(
        StarChange.objects.filter(organisation=world.branch)
        .order_by("pk")
        .values_list("from_stars", "to_stars")
    )
    assert history == [(None, 2), (2, 3)]
    actions = set(
        AuditEntry.objects.filter(target_type="assessment.starrating").values_list("action", flat=True)
    )
    assert {"assessment.rating.finalised", "assessment.appeal.filed", "assessment.appeal.decided"} <= actions


def test_appeal_window_boundaries(world, example_set):
    run = _published(world, example_set)
    rating = _to_reviewed(world, Score.objects.get(run=run, organisation=world.branch), stars=1)
    rating = services.decide_rating(actor=world.users["xian"], rating=rating, stars=1, note="x")
    rating = services.open_notice(
        actor=world.users["xian"], rating=rating, starts_on=datetime.date(2026, 12, 1)
    )
    day = datetime.date(2026, 12, 6)
    rating = services.finalise_rating(actor=world.users["xian"], rating=rating, on=day)
    assert services.appeal_deadline(rating) == day + datetime.timedelta(days=15)
    with pytest.raises(ValidationError) as error:  # one day after the window
        services.file_appeal(
            actor=world.users["zhibu"], rating=rating, reason="x", on=day + datetime.timedelta(days=16)
        )
    assert "reason" in error.value.message_dict
    appeal = services.file_appeal(
        actor=world.users["zhibu"], rating=rating, reason="x", on=day + datetime.timedelta(days=15)
    )
    with pytest.raises(ValidationError):  # one pending appeal at a time
        services.file_appeal(
            actor=world.users["zhibu"], rating=rating, reason="y", on=day + datetime.timedelta(days=15)
        )
    with pytest.raises(ValidationError) as error:  # a decision needs its reason
        services.decide_appeal(actor=world.users["xian"], appeal=appeal, decision="rejected", reason="")
    assert "decision_reason" in error.value.message_dict
    services.decide_appeal(actor=world.users["xian"], appeal=appeal, decision="rejected", reason="证据不足")
    rating.refresh_from_db()
    assert rating.final_stars == 1


@pytest.mark.parametrize(("branches", "allowed"), [(10, 1), (20, 2), (9, 0)])
def test_five_star_quota_at_and_one_over(world, example_set, branches, allowed):
    run = _published(world, example_set, extra_branches=branches - 2)
    assert run.org_count == branches
    scores = list(Score.objects.filter(run=run).order_by("org_path"))
    for score in scores[:allowed]:  # up to the limit: allowed
        services.decide_rating(
            actor=world.users["xian"], rating=_to_reviewed(world, score), stars=5, note="x"
        )
    over = _to_reviewed(world, scores[allowed])
    with pytest.raises(ValidationError) as error:  # one over
        services.decide_rating(actor=world.users["xian"], rating=over, stars=5, note="x")
    assert "比例上限" in error.value.message_dict["decided_stars"][0]
    over.refresh_from_db()
    assert over.status == "reviewed" and over.decided_stars is None
    services.decide_rating(actor=world.users["xian"], rating=over, stars=4, note="x")  # four stars: no quota
    assert StarRating.objects.filter(decided_stars=5).count() == allowed


def test_quota_counts_only_the_level_that_sets_it(world, example_set):
    """A street-level quota of 0 % five stars refuses inside the street only."""
    services.save_quota(
        actor=world.users["xian"],
        indicator_set=example_set,
        organisation=world.street,
        stars=4,
        max_percent=0,
        source="街道示例",
    )
    run = _published(world, example_set)
    rating = _to_reviewed(world, Score.objects.get(run=run, organisation=world.branch), stars=4)
    with pytest.raises(ValidationError) as error:
        services.decide_rating(actor=world.users["xian"], rating=rating, stars=4, note="x")
    assert "城关街道党工委" in error.value.message_dict["decided_stars"][0]


def test_foreign_and_unpublished(world, example_set):
    run = services.compute_run(actor=world.users["xian"], indicator_set=example_set, as_of=AS_OF)
    score = Score.objects.get(run=run, organisation=world.branch)
    with pytest.raises(ValidationError) as error:
        services.self_assess(actor=world.users["zhibu"], score=score, stars=3, note="x")
    assert "score" in error.value.message_dict
    services.publish_run(actor=world.users["xian"], run=run)
    with pytest.raises(Http404):
        services.self_assess(actor=world.users["foreign"], score=score, stars=3, note="x")
    with pytest.raises(ValidationError) as error:
        services.self_assess(actor=world.users["zhibu"], score=score, stars=6, note="x")
    assert "self_stars" in error.value.message_dict
    assert not StarRating.objects.exists()

"""The demo history part: a published run per county, final ratings within the quota, weak flags."""

from types import SimpleNamespace

import pytest

from qiangji.assessment import demo, scoring
from qiangji.assessment.models import Score, ScoringRun, StarRating, WeakFlag
from qiangji.assessment.tests.helpers import AS_OF, good_branch

pytestmark = pytest.mark.django_db


def test_demo_finish_scores_every_county_and_recomputes(world):
    good_branch(world.branch)
    ctx = SimpleNamespace(root=world.province, as_of=AS_OF, result=SimpleNamespace(counts={}))
    demo.finish(ctx)
    assert ScoringRun.objects.filter(status="published").count() == 2  # the county and the foreign county
    assert ctx.result.counts["assessment_scores"] == Score.objects.count() == 3
    assert StarRating.objects.filter(status="final").count() == 3
    assert not StarRating.objects.filter(final_stars=5).exists()  # 10 % of 2 branches is none
    assert WeakFlag.objects.filter(organisation=world.branch2).exists()
    for run in ScoringRun.objects.all():
        fresh = {c.org_id: c.total for c in scoring.compute(run.indicator_set, run.as_of)}
        assert {s.organisation_id: s.total for s in run.scores.all()} == fresh
    demo.finish(ctx)  # a second run leaves the counties that have a set alone
    assert ScoringRun.objects.count() == 2

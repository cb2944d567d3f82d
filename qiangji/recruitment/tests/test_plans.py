"""Plans and ratios: plan of the highest planning level, actual by quarter and group, pipeline ratio."""

import datetime

from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.recruitment.models import DevelopmentPlan
from qiangji.recruitment.selectors import plans
from qiangji.recruitment.tests.ui_factories import make_case


def plan(org, group, planned, year=2026):
    return DevelopmentPlan.objects.create(
        organisation=org, org_path=org.path, year=year, group=group, planned=planned
    )


def admitted(org, day, group="young_farmer", **dates):
    case = make_case(org, step=15, applied_on=day - datetime.timedelta(days=700), admitted_on=day, **dates)
    case.group = group
    case.save()
    return case


def test_plan_of_the_highest_level_is_not_doubled(world):
    plan(world.street, "young_farmer", 10)
    plan(world.branch, "young_farmer", 6)  # a breakdown of the street's plan
    plan(world.foreign_branch, "young_farmer", 99)
    assert plans.planned_by_group(world.users["jiedao"], None, 2026) == {"young_farmer": 10}
    assert plans.planned_by_group(world.users["zhibu"], None, 2026) == {"young_farmer": 6}


def test_actual_by_quarter_and_pipeline(world):
    admitted(world.branch, datetime.date(2026, 3, 31))
    admitted(world.branch, datetime.date(2026, 4, 1), group="student")
    admitted(world.branch, datetime.date(2025, 12, 31))  # last year
    admitted(world.foreign_branch, datetime.date(2026, 5, 1))
    make_case(world.branch, applied_on=datetime.date(2026, 2, 1))
    make_case(
        world.branch, step=3, applied_on=datetime.date(2025, 6, 1), activist_on=datetime.date(2026, 1, 5)
    )
    plan(world.branch, "young_farmer", 4)
    report = plans.plan_report(world.users["zhibu"], None, 2026)
    farmers = next(g for g in report["groups"] if g["group"] == "young_farmer")
    assert farmers["quarters"] == [1, 0, 0, 0] and farmers["planned"] == 4
    assert report["quarter_totals"] == [1, 1, 0, 0] and report["cumulative"][-1] == 2
    assert report["pipeline"] == {"applicants": 1, "activists": 1, "new_members": 2}
    assert plans.ratio_text(report["pipeline"]) == "0.5 : 0.5 : 1"


def test_plan_page_with_chart_and_form(world, client_as, django_assert_max_num_queries):
    plan(world.branch, "young_farmer", 4)
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("recruitment:plans") + "?year=2026")
    text = response.content.decode()
    assert "vendor/echarts-5.6.0.min.js" in text and 'id="plan-series"' in text
    assert "2026年发展党员计划与完成情况" in text
    response = client.post(
        reverse("recruitment:plans"),
        {"organisation": world.branch.pk, "year": 2026, "group": "student", "planned": 3},
    )
    assert response.status_code == 302
    assert DevelopmentPlan.objects.get(organisation=world.branch, group="student").planned == 3
    assert AuditEntry.objects.filter(action="recruitment.plan.saved").exists()


def test_plan_for_a_foreign_organisation_is_refused(world, client_as):
    client = client_as(world.users["zhibu"])
    response = client.post(
        reverse("recruitment:plans"),
        {"organisation": world.foreign_branch.pk, "year": 2026, "group": "student", "planned": 3},
    )
    assert response.status_code == 200 and not DevelopmentPlan.objects.exists()
    assert client.get(reverse("recruitment:plans") + f"?org={world.foreign_branch.pk}").status_code == 404

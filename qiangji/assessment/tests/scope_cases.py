"""Scope-walk cases for the assessment pages and API (see core/tests/test_scope_walk.py): every kwarg
points at an object of the FOREIGN county (its set, run, score, line, rating); lists get one first so that
a leak would show the foreign branch's name."""

import datetime


def foreign_rating(world):
    from qiangji.assessment import services
    from qiangji.assessment.models import Score

    admin = world.users["admin"]
    indicator_set = services.create_example_set(actor=admin, organisation=world.foreign_county, year=2026)
    run = services.compute_run(actor=admin, indicator_set=indicator_set, as_of=datetime.date(2026, 12, 1))
    services.publish_run(actor=admin, run=run)
    score = Score.objects.get(run=run, organisation=world.foreign_branch)
    return services.self_assess(actor=admin, score=score, stars=1, note="外县自评")


def with_foreign(world) -> dict:
    foreign_rating(world)
    return {}


def set_pk(world) -> dict:
    return {"pk": foreign_rating(world).indicator_set_id}


def run_pk(world) -> dict:
    return {"pk": foreign_rating(world).score.run_id}


def score_pk(world) -> dict:
    return {"pk": foreign_rating(world).score_id}


def line_pk(world) -> dict:
    return {"pk": foreign_rating(world).score.lines.first().pk}


def manual_kwargs(world) -> dict:
    rating = foreign_rating(world)
    indicator = rating.indicator_set.indicators.get(code="role")
    return {"pk": rating.score_id, "indicator": indicator.pk}


def rating_pk(world) -> dict:
    return {"pk": foreign_rating(world).pk}


def foreign_flag(world):
    from qiangji.assessment import services

    admin = world.users["admin"]
    services.seed_weak_criteria(actor=admin, organisation=world.foreign_county, year=2026)
    flags = services.detect_weak(
        actor=admin, organisation=world.foreign_county, year=2026, as_of=datetime.date(2026, 12, 1)
    )
    flag = next(f for f in flags if f.organisation_id == world.foreign_branch.pk)
    services.save_plan(
        actor=admin,
        flag=flag,
        measures="外县整顿",
        deadline=datetime.date(2027, 3, 1),
        responsible="外县书记",
    )
    return flag


def with_foreign_flag(world) -> dict:
    foreign_flag(world)
    return {}


def flag_pk(world) -> dict:
    return {"pk": foreign_flag(world).pk}


def plan_pk(world) -> dict:
    return {"pk": foreign_flag(world).plan.pk}


def foreign_report(world):
    from qiangji.assessment import services

    admin = world.users["admin"]
    report = services.submit_report(
        actor=admin,
        organisation=world.foreign_branch,
        year=2026,
        secretary_name="外县书记",
        report="外县述职",
    )
    report = services.record_review(
        actor=admin,
        report=report,
        meeting_on=report.submitted_on,
        scores=[{"reviewer": "外县评委", "points": "90"}],
    )
    services.add_follow_up(actor=admin, report=report, text="外县问题", deadline=report.submitted_on)
    return report


def with_foreign_report(world) -> dict:
    foreign_report(world)
    return {}


def report_pk(world) -> dict:
    return {"pk": foreign_report(world).pk}


def follow_up_pk(world) -> dict:
    return {"pk": foreign_report(world).follow_ups.get().pk}


def foreign_violation(world):
    from qiangji.assessment.models import AccountabilityCase

    return AccountabilityCase.objects.create(
        kind="overdue_step",
        source_id="case:0:rule:0",
        organisation=world.foreign_branch,
        org_name=world.foreign_branch.name,
        org_path=world.foreign_branch.path,
        responsible="另一县某村党支部书记",
        title="外县党员发展对象超期",
        detected_on=datetime.date(2026, 12, 1),
    )


def foreign_nomination(world):
    from qiangji.assessment import services

    return services.nominate(
        actor=world.users["admin"],
        organisation=world.foreign_branch,
        kind="member",
        member=world.foreign_member,
        award="优秀共产党员",
        year=2026,
        reason="外县党员事迹",
    )


CASES = {
    "assessment:nominations": lambda world: (foreign_nomination(world), {})[1],
    "assessment:nominate": lambda world: (foreign_nomination(world), {})[1],
    "assessment:nomination": lambda world: {"pk": foreign_nomination(world).pk},
    "assessment:nomination-step": lambda world: {"pk": foreign_nomination(world).pk, "step": "review"},
    "assessment:accountability": lambda world: (foreign_violation(world), {})[1],
    "assessment:accountability-gather": lambda world: (foreign_violation(world), {})[1],
    "assessment:accountability-decide": lambda world: {"pk": foreign_violation(world).pk},
    "assessment:reports": with_foreign_report,
    "assessment:report-submit": with_foreign_report,
    "assessment:report": report_pk,
    "assessment:report-review": report_pk,
    "assessment:report-grade": report_pk,
    "assessment:follow-up-add": report_pk,
    "assessment:follow-up-close": follow_up_pk,
    "assessment:weak": with_foreign_flag,
    "assessment:weak-seed": with_foreign_flag,
    "assessment:weak-detect": with_foreign_flag,
    "assessment:flag": flag_pk,
    "assessment:plan-edit": flag_pk,
    "assessment:plan-evidence": flag_pk,
    "assessment:plan-sign-off": flag_pk,
    "assessment:plan": plan_pk,
    "assessment:home": with_foreign,
    "assessment:set-create": with_foreign,
    "assessment:set": set_pk,
    "assessment:run-compute": set_pk,
    "assessment:run": run_pk,
    "assessment:run-publish": run_pk,
    "assessment:score": score_pk,
    "assessment:self-assess": score_pk,
    "assessment:manual": manual_kwargs,
    "assessment:adjust": score_pk,
    "assessment:line": line_pk,
    "assessment:rating": rating_pk,
    "assessment:rating-step": lambda world: {**rating_pk(world), "step": "review"},
    "assessment-set-list": with_foreign,
    "assessment-set-detail": set_pk,
    "assessment-score-list": with_foreign,
    "assessment-score-detail": score_pk,
    "assessment-score-explanation": score_pk,
    "assessment-score-self-assessment": score_pk,
    "assessment-rating-list": with_foreign,
    "assessment-rating-detail": rating_pk,
    "assessment-rating-review": rating_pk,
    "assessment-rating-decide": rating_pk,
}

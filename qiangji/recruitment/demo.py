"""Demo history of the recruitment app (registered with the generator, `qiangji generate`): development
cases (发展党员) spread over all 25 steps, with dated step records, mentors, sponsors, vetting, training
and sign-offs, consistent with the rule tables (《中国共产党发展党员工作细则》; docs/rules.md §1,
recruitment.rule_data).

- Cases at steps 15–25 belong to members already on the roll: every probationary member has one
  (admitted on `joined_on`), and so has every member confirmed in the last ~13 months (steps 23–25).
  About one probationary member in eight has the admission moved back 12–15 months so that probation
  has ended and the confirmation meeting is pending or overdue (steps 20–22; the member row, its
  status date and status event move with it).
- The other cases are applicants at steps 1–14 (about one case for six members in all: 500,000 at
  province scale), in branches with at least three full members.
- Dates walk forward from the application with the gaps the rules allow (talk within a month,
  activist ≥ 1 year before target, a half-yearly assessment, pre-review ≤ 1 month before the branch
  meeting, approval within 3 months, oath within 1 month, probation 1 year, ...); about one case in
  ten waits past the deadline of its next step, so the due lists and the dashboard have exceptions.
"""

import datetime
import random

from django.conf import settings

from qiangji.core import crypto
from qiangji.core.dates import add_years
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import gb11643_check_char
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.recruitment.choices import REFERENCE_FIELDS, STEP_STAGES
from qiangji.recruitment.models import (
    AdmissionFormRange,
    Case,
    DevelopmentPlan,
    Mentor,
    ProbationDecision,
    SignOff,
    Sponsor,
    StepRecord,
    TrainingRecord,
    Vetting,
)
from qiangji.tooling.generate.history import Context, County, Org, register
from qiangji.tooling.generate.people import GIVEN, SURNAME_WEIGHTS, SURNAMES, weighted

CASES_PER_MEMBER = 500_000 / 3_000_000  # the province figure
OVERDUE_SHARE = 0.10
# Steps an applicant case (not yet a member) waits at, by weight: activists spend a year at step 6.
OPEN_STEP_WEIGHTS = (
    (1, 6),
    (2, 10),
    (3, 6),
    (4, 4),
    (5, 12),
    (6, 26),
    (7, 6),
    (8, 4),
    (9, 4),
    (10, 5),
    (11, 4),
    (12, 3),
    (13, 3),
    (14, 3),
)
PASS_STEPS = {10: "pass", 12: "pass", 13: "pass", 15: "pass", 17: "pass", 23: "pass", 24: "pass"}
SIGNOFFS = {
    12: "branch_committee",
    13: "pre_review",
    17: "approval",
    18: "filing",
    24: "confirmation_approval",
}
D = datetime.timedelta


def rule_set_on(day: datetime.date) -> str:
    effective = getattr(settings, "QIANGJI_FZDY_2026_EFFECTIVE", None) or datetime.date(2026, 5, 18)
    if isinstance(effective, str):
        effective = datetime.date.fromisoformat(effective)
    return "fzdy-2026" if day >= effective else "fzdy-2014"


def forward_chain(rng: random.Random, applied: datetime.date, last: int) -> dict[int, list[datetime.date]]:
    """Dates of steps 1..last (step 6 may repeat) walking forward from the application."""
    dates: dict[int, list[datetime.date]] = {1: [applied]}
    day = applied

    def put(step, value):
        nonlocal day
        day = value
        dates.setdefault(step, []).append(value)

    for step in range(2, last + 1):
        if step == 2:
            put(2, applied + D(rng.randint(5, 28)))  # within 1 month (step02.talk_within)
        elif step == 3:
            put(3, applied + D(rng.randint(185, 300)))
        elif step in (4, 5):
            put(step, day + D(rng.randint(1, 6)))
        elif step == 6:
            activist = dates[3][0]
            first = activist + D(rng.randint(165, 178))  # every half year (step06.assessment_interval)
            put(6, first)
            if last > 6:  # a second assessment before the target is chosen a year on
                put(6, first + D(rng.randint(165, 178)))
        elif step == 7:
            put(
                7, add_years(dates[3][0], 1) + D(rng.randint(5, 100))
            )  # ≥ 1 year (step07.activist_min_period)
        elif step in (8, 9, 12):
            put(step, day + D(rng.randint(3, 15)))
        elif step in (10, 11):
            put(step, day + D(rng.randint(7, 30)))
        elif step == 13:
            put(13, day + D(rng.randint(5, 20)))
        elif step == 14:
            put(14, day + D(rng.randint(2, 8)))
        elif step == 15:
            put(15, dates[13][0] + D(rng.randint(12, 28)))  # within 1 month (step15.within_after_pre_review)
        elif step == 16:
            put(16, day + D(rng.randint(5, 15)))
        elif step == 17:
            put(17, dates[15][0] + D(rng.randint(25, 85)))  # within 3 months (step17.approval_within)
        elif step in (18, 19):
            put(step, day + D(rng.randint(1, 6)))
        elif step == 20:
            put(20, dates[17][0] + D(rng.randint(14, 28)))  # within 1 month (step20.oath_within)
        elif step == 21:
            put(21, add_years(dates[15][0], 1))  # one year from the branch meeting (step21.probation_period)
        elif step == 22:
            put(22, day)
        elif step == 23:
            put(23, dates[21][0] + D(rng.randint(0, 25)))  # within 1 month (step23.meeting_within)
        elif step == 24:
            put(24, day + D(rng.randint(10, 80)))  # within 3 months (step24.approval_within)
        elif step == 25:
            put(25, day + D(rng.randint(5, 40)))
    return dates


def _shift(dates: dict[int, list[datetime.date]], days: int) -> dict[int, list[datetime.date]]:
    return {step: [d + D(days) for d in values] for step, values in dates.items()}


def open_chain(rng: random.Random, step: int, as_of: datetime.date, overdue: bool):
    """An applicant's dates up to `step`, placed so its next deadline is met (or, if `overdue`, missed)."""
    dates = forward_chain(rng, datetime.date(2000, 1, 1), step)
    if step == 1:
        anchor, wait = dates[1][0], rng.randint(40, 200) if overdue else rng.randint(0, 27)
    elif step in (3, 4, 5):
        anchor, wait = dates[3][0], rng.randint(190, 330) if overdue else rng.randint(0, 170)
    elif step == 6:
        anchor, wait = dates[6][-1], rng.randint(190, 300) if overdue else rng.randint(0, 170)
    elif step in (13, 14):
        anchor, wait = (
            dates[13][0],
            rng.randint(35, 120)
            if overdue
            else rng.randint(max(0, (dates[step][0] - dates[13][0]).days), 25),
        )
    else:
        anchor, wait = dates[step][-1], rng.randint(2, 150 if step == 2 else 60)
    dates = _shift(dates, (as_of - D(wait) - anchor).days)
    latest = max(max(values) for values in dates.values())
    return _shift(dates, -(latest - as_of).days) if latest > as_of else dates


def linked_chain(rng: random.Random, member: dict, as_of: datetime.date, overdue: bool):
    """(last step, dates) of a member's own case: admitted on `joined_on`, confirmed on `confirmed_on`."""
    admitted = member["joined_on"]
    base = forward_chain(rng, datetime.date(2000, 1, 1), 25)
    dates = _shift(base, (admitted - base[15][0]).days)
    if member["status"] == "probationary":
        since = (as_of - admitted).days
        if since > 365:  # probation ended: waiting for (or overdue on) the confirmation meeting
            last = 22 if rng.random() < 0.6 else (21 if rng.random() < 0.6 else 20)
        elif since < 30:
            last = 15 if since < 12 or rng.random() < 0.5 else 16
        elif overdue and since > 95:
            last = 16  # approval overdue (step17.approval_within)
        elif since < 90:
            last = max(s for s in (15, 16, 17, 18, 19, 20) if dates[s][0] <= as_of)
        else:
            last = 20
    else:
        confirmed = member["confirmed_on"]
        dates[21], dates[22] = [add_years(admitted, 1)], [add_years(admitted, 1)]
        dates[23] = [confirmed]
        dates[24] = [confirmed + D(rng.randint(10, 80))]
        dates[25] = [dates[24][0] + D(rng.randint(5, 40))]
        since = (as_of - confirmed).days
        if since < 20 or (overdue and since > 95):
            last = 23
        elif dates[25][0] <= as_of and since > 90 and rng.random() < 0.85:
            last = 25
        else:
            last = 24 if dates[24][0] <= as_of else 23
    dates = {s: v for s, v in dates.items() if s <= last}
    if any(d > as_of for values in dates.values() for d in values):
        return None
    return last, dates


class Applicants:
    """Personal items of applicants, as the case service validates them (members.validation)."""

    def __init__(self, rng: random.Random, region: str, as_of: datetime.date):
        self.rng, self.region, self.as_of = rng, region, as_of
        self.used: dict[tuple[datetime.date, str], int] = {}

    def person(self, applied: datetime.date, org: Org) -> dict:
        rng = self.rng
        sex = "1" if rng.random() < 0.6 else "2"
        birth = applied - D(rng.randint(19 * 365, 42 * 365))
        count = self.used.get((birth, sex), 0)
        self.used[(birth, sex)] = count + 1
        # Order numbers 900–999: apart from the members' (001 upwards) of the same county and day.
        order = 900 + (count * 2 + (1 if sex == "1" else 2)) % 100
        first17 = f"{self.region}{birth:%Y%m%d}{order:03d}"
        number = first17 + gb11643_check_char(first17)
        given = rng.choice(GIVEN[sex])
        if len(given) == 1 and rng.random() < 0.55:
            given += rng.choice(GIVEN[sex])[0]
        name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        return {
            "name": name,
            "name_pinyin": name_pinyin(name)[0],
            "sex": sex,
            "ethnicity": weighted(rng, (("01", 96), ("03", 2), ("11", 1), ("08", 1))),
            "birth_date": birth,
            "id_number_encrypted": crypto.encrypt(number),
            "id_number_hash": crypto.blind_index(number),
            "id_suffix": number[-4:],
            "phone_encrypted": crypto.encrypt(phone),
            "phone_hash": crypto.blind_index(phone),
            "phone_suffix": phone[-4:],
            "education": weighted(rng, (("20", 40), ("30", 30), ("60", 20), ("14", 10))),
            "employer": org.unit_name,
            "address": "",
        }


def plan_group(rng: random.Random, org: Org) -> str:
    if org.category == "rural":
        return "young_farmer" if rng.random() < 0.7 else "other"
    if org.category in ("state_enterprise", "non_public_enterprise"):
        return "industrial_worker" if rng.random() < 0.8 else "talent"
    if org.category in ("school", "public_institution"):
        return "talent" if rng.random() < 0.7 else "student"
    return "other"


def county(ctx: Context, county: County) -> None:
    rng = ctx.rng(county.code, "recruitment")
    as_of = ctx.as_of
    by_id = {org.id: org for org in county.orgs}
    work = []  # (member or None, org, last step, dates)
    moved = []
    for member in county.members:
        org = by_id.get(member["organisation_id"])
        if org is None:
            continue
        if member["status"] == "probationary":
            if rng.random() < 0.12:
                joined = as_of - D(rng.randint(366, 460))
                if joined >= add_years(member["birth_date"], 18) + D(300):
                    member["joined_on"] = joined
                    moved.append(member)
        elif (
            member["status"] == "full"
            and member["confirmed_on"]
            and (as_of - member["confirmed_on"]).days <= 400
        ):
            pass
        else:
            continue
        chain = linked_chain(rng, member, as_of, rng.random() < OVERDUE_SHARE)
        if chain is not None and chain[1][1][0] >= add_years(member["birth_date"], 18):
            work.append((member, org, *chain))
    _move_members(moved)
    wanted = round(len(county.members) * CASES_PER_MEMBER) - len(work)
    branches = [
        org
        for org in county.branches
        if sum(1 for m in county.by_branch[org.id] if m["status"] == "full") >= 3
    ]
    weights = [len(county.by_branch[org.id]) for org in branches]
    steps, step_weights = zip(*OPEN_STEP_WEIGHTS, strict=True)
    if branches:
        for org in rng.choices(branches, weights, k=max(0, wanted)):
            step = rng.choices(steps, step_weights)[0]
            work.append((None, org, step, open_chain(rng, step, as_of, rng.random() < OVERDUE_SHARE)))
    _write(ctx, county, rng, work)


def _move_members(moved: list[dict]) -> None:
    """Admission moved back a year or so: the member row and its probationary status event follow."""
    if not moved:
        return
    objects = [Member(pk=m["id"], joined_on=m["joined_on"], status_since=m["joined_on"]) for m in moved]
    Member._base_manager.bulk_update(objects, ["joined_on", "status_since"], batch_size=500)
    joined = {m["id"]: m["joined_on"] for m in moved}
    events = list(
        MemberStatusEvent._base_manager.filter(member_id__in=list(joined), status="probationary").only(
            "pk", "member_id"
        )
    )
    for event in events:
        event.effective_on = joined[event.member_id]
    MemberStatusEvent._base_manager.bulk_update(events, ["effective_on"], batch_size=500)


def _status(last: int, member) -> str:
    if member is None:
        return "open"
    return "probationary" if last < 23 else ("archived" if last == 25 else "confirmed")


def _write(ctx: Context, county: County, rng: random.Random, work: list) -> None:
    applicants = Applicants(rng, county.code, ctx.as_of)
    first = ctx.take_ids(Case, len(work))
    cases, steps, mentors, sponsors, vettings, trainings, signoffs, decisions = [], [], [], [], [], [], [], []
    for offset, (member, org, last, dates) in enumerate(work):
        case_id = first + offset
        full = [
            m
            for m in county.by_branch[org.id]
            if m["status"] == "full" and (member is None or m["id"] != member["id"])
        ]
        person = (
            {
                k: member[k]
                for k in (
                    "name",
                    "name_pinyin",
                    "sex",
                    "ethnicity",
                    "birth_date",
                    "id_number_encrypted",
                    "id_number_hash",
                    "id_suffix",
                    "phone_encrypted",
                    "phone_hash",
                    "phone_suffix",
                    "education",
                    "employer",
                    "address",
                )
            }
            if member
            else applicants.person(dates[1][0], org)
        )
        withdrawn = member is None and last <= 10 and rng.random() < 0.02
        row = {
            "id": case_id,
            "organisation_id": org.id,
            "org_path": org.path,
            "region_code": county.code,
            **person,
            "group": plan_group(rng, org),
            "status": "withdrawn" if withdrawn else _status(last, member),
            "stage": int(STEP_STAGES[last]),
            "step": last,
            "last_step_on": max(max(v) for v in dates.values()),
            "probation_extended": False,
            "member_id": member["id"] if member else None,
            "dues_start_month": dates[15][0].replace(day=1) if 15 in dates else None,
            "leaving_unit_on": None,
            "created_by_id": None,
        }
        for number, column in REFERENCE_FIELDS.items():
            row[column] = dates[number][-1] if number in dates else None
        if 15 in dates:
            row["probation_ends_on"] = add_years(dates[15][0], 1)
        cases.append(row)
        secretary = county.secretary(org) or "党支部书记"
        approver = org.approver or county.org
        for step, values in sorted(dates.items()):
            for day in values:
                steps.append(
                    {
                        "case_id": case_id,
                        "org_path": org.path,
                        "step": step,
                        "occurred_on": day,
                        "outcome": PASS_STEPS.get(step, "done"),
                        "rule_set": rule_set_on(day),
                        "overridden": False,
                        "provisional": False,
                        "recorded_by_id": None,
                    }
                )
            if step in SIGNOFFS:
                signer = approver if step != 12 else org
                signoffs.append(
                    {
                        "case_id": case_id,
                        "org_path": org.path,
                        "step": step,
                        "level": SIGNOFFS[step],
                        "organisation_id": signer.id,
                        "person_name": county.secretary(signer) or secretary,
                        "person_id": None,
                        "signed_on": values[-1],
                        "outcome": "pass",
                        "reason": "",
                    }
                )
        if 5 in dates and full:
            for pick in rng.sample(full, min(len(full), rng.choice((1, 2)))):
                mentors.append(
                    {
                        "case_id": case_id,
                        "org_path": org.path,
                        "member_id": pick["id"],
                        "role": "general",
                        "assigned_on": dates[5][0],
                        "ended_on": None,
                    }
                )
        if 9 in dates and len(full) >= 2:
            for pick in rng.sample(full, 2):
                sponsors.append(
                    {
                        "case_id": case_id,
                        "org_path": org.path,
                        "member_id": pick["id"],
                        "named_on": dates[9][0],
                        "ended_on": None,
                    }
                )
        if 10 in dates:
            vettings.append(
                {
                    "case_id": case_id,
                    "org_path": org.path,
                    "reviewer_name": secretary,
                    "reviewer_id": None,
                    "concluded_on": dates[10][0],
                    "outcome": "pass",
                    "conclusion": "经审查，本人政治历史清楚，主要社会关系无影响入党的问题，政治审查合格。",
                }
            )
        if 11 in dates:
            trainings.append(
                {
                    "case_id": case_id,
                    "org_path": org.path,
                    "provider": f"中共{county.name}委党校",
                    "started_on": dates[11][0] - D(2),
                    "ended_on": dates[11][0],
                    "days": 3,
                    "hours": 24,
                    "certificate": f"PX{county.code}{dates[11][0]:%Y}{case_id % 100000:05d}",
                }
            )
        if 23 in dates:
            decisions.append(
                {
                    "case_id": case_id,
                    "org_path": org.path,
                    "meeting_id": None,
                    "decided_on": dates[23][0],
                    "outcome": "confirmed",
                    "extension_months": None,
                    "new_end_on": None,
                    "reason": "",
                }
            )
    ctx.write(Case, cases, "cases")
    ctx.write(StepRecord, steps, "step_records")
    ctx.write(Mentor, mentors, "mentors")
    ctx.write(Sponsor, sponsors, "sponsors")
    ctx.write(Vetting, vettings, "vettings")
    ctx.write(TrainingRecord, trainings, "trainings")
    ctx.write(SignOff, signoffs, "signoffs")
    ctx.write(ProbationDecision, decisions, "probation_decisions")
    ctx.write(AdmissionFormRange, form_ranges(county, ctx.as_of), "admission_form_ranges")
    # Admissions by approving committee and year, for the development plans (plan versus actual).
    tally = ctx.extra.setdefault("admissions", {})
    for _member, org, _last, dates in work:
        approver = org.approver or county.org
        for year in (ctx.as_of.year - 1, ctx.as_of.year):
            key = (approver.id, approver.path, year)
            tally.setdefault(key, 0)
            if 15 in dates and dates[15][0].year == year:
                tally[key] += 1


FORM_RANGE_SIZE = 500


def form_ranges(county: County, as_of: datetime.date) -> list[dict]:
    """One range of numbered admission forms (入党志愿书) held by each committee that approves for a branch
    of the county (the one that issues the numbers, docs/rules.md §1 step 14), received at the start of
    the year, so that a demo case at step 13 can be issued its form (step 14) and run to the end."""
    issuers = {}
    for org in county.branches:
        issuer = org.approver or county.org
        issuers.setdefault(issuer.id, issuer)
    return [
        {
            "organisation_id": issuer.id,
            "org_path": issuer.path,
            "prefix": f"{county.code}{issuer.id:05d}-",
            "first_number": 1,
            "last_number": FORM_RANGE_SIZE,
            "next_number": 1,
            "width": 4,
            "received_on": datetime.date(as_of.year, 1, 1),
        }
        for _id, issuer in sorted(issuers.items())
    ]


def plans(ctx: Context) -> None:
    """Annual development plans of each approving committee: near what its subtree admitted (a higher
    committee's plan covers its whole subtree, as recruitment.selectors.plans reads it), some short of it."""
    rng = ctx.rng("plans", "recruitment")
    rows = []
    tally = ctx.extra.get("admissions", {})
    for (org_id, path, year), _own in sorted(tally.items()):
        admitted = sum(n for (_o, p, y), n in tally.items() if y == year and p.startswith(path))
        planned = max(1, round(admitted * rng.uniform(0.9, 1.4)) if admitted else rng.randint(1, 3))
        rows.append(
            {
                "organisation_id": org_id,
                "org_path": path,
                "year": year,
                "group": "other",
                "planned": planned,
                "note": "年度发展党员计划",
            }
        )
    ctx.write(DevelopmentPlan, rows, "development_plans")
    if ctx.extra.get("resume"):
        _missing_plans(ctx, rng)


def _missing_plans(ctx: Context, rng) -> None:
    """After a stopped run (--resume): plans of the committees that pre-reviewed cases in counties written
    by the run that stopped (their tally was lost with it), from the pre-review sign-offs in the database."""
    years = (ctx.as_of.year - 1, ctx.as_of.year)
    have = set(
        DevelopmentPlan.objects.filter(org_path__startswith=ctx.root.path, year__in=years).values_list(
            "organisation_id", "year"
        )
    )
    tally: dict[tuple[int, str, int], int] = {}
    for org_id, path, admitted in (
        SignOff.objects.filter(step=13, org_path__startswith=ctx.root.path)
        .values_list("organisation_id", "organisation__path", "case__admitted_on")
        .iterator(chunk_size=20000)
    ):
        for year in years:
            if (org_id, year) not in have:
                key = (org_id, path, year)
                tally[key] = tally.get(key, 0) + (1 if admitted and admitted.year == year else 0)
    rows = [
        {
            "organisation_id": org_id,
            "org_path": path,
            "year": year,
            "group": "other",
            "planned": max(1, round(admitted * rng.uniform(0.9, 1.4)) if admitted else rng.randint(1, 3)),
            "note": "年度发展党员计划",
        }
        for (org_id, path, year), admitted in sorted(tally.items())
    ]
    ctx.write(DevelopmentPlan, rows, "development_plans")


# First: it moves some admissions back a year (the member rows), which the later parts read.
register(
    "recruitment", order=10, county=county, finish=plans, tables={"发展党员工作记录": (Case, "org_path")}
)

"""Build recruitment cases for tests by driving the real services, with a dated schedule under
fzdy-2014 (every date before 2026-05-18) so that each test starts a case at the step it needs."""

import datetime

from qiangji.recruitment import services
from qiangji.recruitment.choices import SignOffLevel
from qiangji.testing import add_member, make_id_number

D = datetime.date
BALLOT = {"entitled": 4, "present": 3, "votes_for": 3}
BORN = D(2000, 1, 1)
APPLIED = D(2023, 1, 2)


def applicant_values(birth=BORN, sex="1", **overrides) -> dict:
    values = {
        "name": "王小明",
        "sex": sex,
        "ethnicity": "01",
        "id_number": make_id_number(birth, sex),
        "birth_date": birth,
        "phone": "13912345678",
        "education": "20",
        "employer": "幸福社区居委会",
    }
    values.update(overrides)
    return values


def open_case(world, applied_on=APPLIED, actor=None, **values):
    return services.submit_application(
        actor=actor or world.users["zhibu"],
        organisation=world.branch,
        values=applicant_values(**values),
        applied_on=applied_on,
    )


def full_members(world, count=2):
    """Two more full members of the branch (mentors, sponsors), besides the world's four."""
    return [add_member(world.branch, name) for name in ("钱七", "孙八", "周九", "吴十")[:count]]


def form_range(world, actor=None):
    return services.add_form_range(
        actor=actor or world.users["jiedao"],
        organisation=world.street,
        first_number=1,
        last_number=100,
        received_on=D(2023, 1, 1),
        prefix="XF",
    )


def _schedule(world, people):
    zhibu, jiedao = world.users["zhibu"], world.users["jiedao"]
    sign = services.record_signoff
    return [
        (2, lambda c: services.record_talk(actor=zhibu, case=c, date=D(2023, 1, 20), talker="李四")),
        (3, lambda c: services.designate_activist(actor=zhibu, case=c, date=D(2023, 3, 1))),
        (4, lambda c: services.record_filing(actor=zhibu, case=c, step=4, date=D(2023, 3, 5))),
        (5, lambda c: services.assign_mentors(actor=zhibu, case=c, date=D(2023, 3, 5), members=people[:1])),
        (
            6,
            lambda c: services.record_assessment(actor=zhibu, case=c, date=D(2023, 9, 1), summary="表现良好"),
        ),
        (7, lambda c: services.designate_target(actor=zhibu, case=c, date=D(2024, 3, 1))),
        (8, lambda c: services.record_filing(actor=zhibu, case=c, step=8, date=D(2024, 3, 5))),
        (9, lambda c: services.name_sponsors(actor=zhibu, case=c, date=D(2024, 3, 5), members=people[:2])),
        (
            10,
            lambda c: services.record_vetting(
                actor=zhibu,
                case=c,
                date=D(2024, 3, 10),
                reviewer_name="王五",
                outcome="pass",
                conclusion="政治审查合格",
            ),
        ),
        (
            11,
            lambda c: services.record_training(
                actor=zhibu, case=c, date=D(2024, 3, 11), ended_on=D(2024, 3, 13), provider="县委党校", days=3
            ),
        ),
        (
            12,
            lambda c: sign(
                actor=zhibu,
                case=c,
                level=SignOffLevel.BRANCH_COMMITTEE,
                date=D(2024, 3, 20),
                outcome="pass",
                person_name="李四",
            ),
        ),
        (
            13,
            lambda c: sign(
                actor=jiedao,
                case=c,
                level=SignOffLevel.PRE_REVIEW,
                date=D(2024, 3, 25),
                outcome="pass",
                person_name="街道组织委员",
            ),
        ),
        (14, lambda c: services.issue_admission_form(actor=zhibu, case=c, date=D(2024, 4, 1))),
        (15, lambda c: services.hold_branch_meeting(actor=zhibu, case=c, date=D(2024, 4, 10), **BALLOT)),
        (16, lambda c: services.record_filing(actor=jiedao, case=c, step=16, date=D(2024, 4, 15))),
        (
            17,
            lambda c: services.approve_admission(
                actor=jiedao, case=c, date=D(2024, 5, 10), person_name="社区书记"
            ),
        ),
        (18, lambda c: services.record_filing(actor=jiedao, case=c, step=18, date=D(2024, 5, 15))),
        (19, lambda c: services.record_filing(actor=zhibu, case=c, step=19, date=D(2024, 5, 15))),
        (20, lambda c: services.administer_oath(actor=zhibu, case=c, date=D(2024, 5, 20))),
        (22, lambda c: services.apply_for_confirmation(actor=zhibu, case=c, date=D(2025, 4, 1))),
        (23, lambda c: services.confirm(actor=zhibu, case=c, date=D(2025, 4, 15), **BALLOT)),
        (
            24,
            lambda c: sign(
                actor=jiedao,
                case=c,
                level=SignOffLevel.CONFIRMATION_APPROVAL,
                date=D(2025, 5, 1),
                outcome="pass",
                person_name="社区书记",
            ),
        ),
    ]


def case_at(world, step: int, people=None, case=None):
    """A case with every step up to and including `step` done (steps 2–24; 21 is skipped)."""
    people = people if people is not None else full_members(world)
    if step >= 14 and not world.community.path:  # pragma: no cover
        raise AssertionError
    case = case or open_case(world)
    for number, run in _schedule(world, people):
        if number > step:
            break
        if number == 14:
            form_range(world)
        run(case)
    case.refresh_from_db()
    return case


def foreign_case(world):
    """A case in the foreign county (for scope tests), made by the superuser."""
    return services.submit_application(
        actor=world.users["admin"],
        organisation=world.foreign_branch,
        values=applicant_values(name="外县申请人"),
        applied_on=D(2023, 1, 2),
    )

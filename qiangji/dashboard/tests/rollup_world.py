"""A world with data in every module, written mostly through the services (so the audit trail that
the incremental refresh reads is real)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from qiangji.core.dates import first_of_month
from qiangji.dashboard.rollups.sql import shift
from qiangji.dues import services as dues
from qiangji.life import services as life
from qiangji.life.models import MeetingType
from qiangji.mobility import services as mobility
from qiangji.mobility.tests.factories import FLOW_VALUES, station
from qiangji.orgs.models import Committee
from qiangji.recruitment.models import DevelopmentPlan
from qiangji.recruitment.tests.factories import open_case
from qiangji.testing import add_member


@dataclass
class Data:
    today: datetime.date
    month: datetime.date
    previous: datetime.date
    station: object
    flow: object
    case: object
    meeting: object


def held_meeting(world, day: datetime.date, code: str = "group", branch=None):
    meeting = life.schedule_meeting(
        actor=world.users["zhibu"],
        organisation=branch or world.branch,
        meeting_type=MeetingType.objects.get(code=code),
        planned_on=day,
    )
    life.record_attendance(actor=world.users["zhibu"], meeting=meeting, member=world.member, status="present")
    return life.record_held(actor=world.users["zhibu"], meeting=meeting, held_on=day)


def populate(world) -> Data:
    today = life.today()
    month = first_of_month(today)
    previous = shift(month, -1)
    add_member(
        world.branch2,
        "钱女士",
        sex="2",
        status="probationary",
        ethnicity="03",
        education="30",
        post="0510",
        birth=datetime.date(1998, 5, 1),
    )
    add_member(world.branch2, "孙停止", status="suspended", ethnicity="01", education="70", post="0400")
    add_member(world.foreign_branch, "外县女党员", sex="2", ethnicity="05", education="14")
    case = open_case(world, applied_on=datetime.date(2023, 1, 2))  # talk overdue since 2023
    open_case(world, applied_on=today, name="李申请", birth=datetime.date(2001, 2, 3))
    DevelopmentPlan.objects.create(
        organisation=world.county, org_path=world.county.path, year=today.year, group="other", planned=10
    )
    DevelopmentPlan.objects.create(
        organisation=world.branch, org_path=world.branch.path, year=today.year, group="other", planned=3
    )
    DevelopmentPlan.objects.create(
        organisation=world.foreign_branch,
        org_path=world.foreign_branch.path,
        year=today.year,
        group="other",
        planned=2,
    )
    meeting = held_meeting(world, previous + datetime.timedelta(days=9))
    Committee.objects.create(
        organisation=world.branch2,
        org_path=world.branch2.path,
        elected_on=datetime.date(2020, 1, 1),
        term_years=3,
        term_ends_on=datetime.date(2023, 1, 1),
    )
    for member in world.branch.members.all():
        dues.record_base(
            actor=world.users["zhibu"],
            member=member,
            category="employed",
            income=Decimal("4000"),
            effective_month=shift(month, -8),
        )
    dues.record_payment(
        actor=world.users["zhibu"],
        member=world.member,
        months_paid=[shift(month, m) for m in range(-6, 0)],
        amount=Decimal("240.00"),
        method="cash",
    )
    where = station(world)
    flow = mobility.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=dict(FLOW_VALUES), in_org=where.branch
    )
    mobility.accept_inflow(actor=where.user, flow=flow)
    return Data(today, month, previous, where, flow, case, meeting)

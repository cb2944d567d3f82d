"""A village under the world's street committee, its officers, Party members and representatives, and the
county's adopted minimum-allowance item and decision list."""

import datetime
from dataclasses import dataclass

from qiangji.core.choices import Role
from qiangji.core.dates import today
from qiangji.governance import services
from qiangji.governance.models import PowerItem, Representative
from qiangji.testing import add_member, add_org, add_user

DIBAO_DOCS = {
    1: ["低保申请书", "户口簿复印件", "家庭收入和财产状况声明", "家庭经济状况核对授权书"],
    2: ["入户调查表"],
    3: ["民主评议记录"],
    5: ["乡镇审核意见"],
    6: ["审批决定书"],
}


@dataclass
class GovWorld:
    world: object
    village: object
    foreign_village: object
    secretary: object  # the village's own officer (a grant on the village)
    discipline: object  # the village's discipline member (a supervision contact)
    item: PowerItem
    members: list
    reps: list


def village_world(world) -> GovWorld:
    village = add_org(world.street, "幸福村党支部", "branch", "rural", region_code="370124")
    foreign_village = world.foreign_branch
    secretary = add_user("cunshuji", village, Role.BRANCH, first_name="王书记")
    discipline = add_user("jijian", village, Role.MEMBER, first_name="纪检委员")
    members = [add_member(village, name) for name in ("张一", "张二", "张三", "张四", "张五")]
    start = today() - datetime.timedelta(days=400)
    reps = [
        Representative.objects.create(
            village=village, org_path=village.path, region_code="370124", name=f"代表{i}", since=start
        )
        for i in range(1, 7)
    ]
    template = PowerItem.objects.get(org_path="", code="dibao")
    item = services.adopt_item(actor=world.users["xian"], county=world.county, template=template)
    services.adopt_rules(actor=world.users["xian"], county=world.county)
    services.add_contact(actor=world.users["jiedao"], village=village, user=discipline, role="discipline")
    return GovWorld(world, village, foreign_village, secretary, discipline, item, members, reps)


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def run_case_to(gw, case, last_order: int, *, start: int = 60):
    """Take steps 1..last_order, each a day apart from `start` days ago (notices run their 7 days)."""
    w = gw.world
    day = start
    for order in range(1, last_order + 1):
        spec = case.step_spec(order)
        actor = {"village": gw.secretary, "township": w.users["jiedao"], "county": w.users["xian"]}[
            spec["role"]
        ]
        services.take_step(
            actor=actor,
            case=case,
            order=order,
            done_on=days_ago(day),
            person_name="经办人",
            documents=DIBAO_DOCS.get(order, []),
            notice_text="经民主评议，张*三户拟纳入最低生活保障，公示期7天。" if spec["notice_days"] else "",
        )
        day -= 8 if spec["notice_days"] else 1
        case.refresh_from_db()
    return day

"""Test helpers: a station branch in another county (the inflow side) with its own secretary."""

from dataclasses import dataclass

from qiangji.core.choices import Role
from qiangji.testing import add_org, add_user


@dataclass
class Station:
    committee: object
    branch: object
    user: object
    committee_user: object


def station(world) -> Station:
    """某区 → 某快递行业党委 → 站点党支部, under the same city as the home county (not its subtree)."""
    district = add_org(world.city, "某区委", "committee", "government", region_code="370102")
    industry = add_org(
        district, "快递物流行业党委", "industry_committee", "non_public_enterprise", region_code="370102"
    )
    branch = add_org(
        industry,
        "顺达站点党支部",
        "branch",
        "non_public_enterprise",
        region_code="370102",
        unit_name="顺达快递站",
    )
    return Station(
        industry,
        branch,
        add_user("zhandian", branch, Role.BRANCH),
        add_user("hangye", industry, Role.COMMITTEE),
    )


FLOW_VALUES = {
    "province": "山东省",
    "city": "济南市",
    "county": "历下区",
    "employer": "某外卖平台",
    "place": "历下站",
    "reason": "new_employment",
    "contact_phone": "13912345678",
}

"""Shared test fixtures: a small organisation tree with one user per role and a foreign subtree.

Fixture data is built directly (not through services) so that every app's tests can rely on it.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from qiangji.core import crypto
from qiangji.core.choices import Role
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import gb11643_check_char

_codes = itertools.count(1)
_serial = itertools.count(1)


def make_id_number(birth: datetime.date, sex: str = "1", region: str = "110101") -> str:
    """A valid 18-digit citizen ID number (GB 11643) for the birth date and sex."""
    seq = next(_serial) % 500
    order = seq * 2 + (1 if sex == "1" else 0)  # odd for men, even for women
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + gb11643_check_char(first17)


def add_org(parent, name: str, kind: str, category: str = "other", **fields):
    from qiangji.orgs.models import Organisation

    values = {"name": name, "kind": kind, "category": category, "code": f"T{next(_codes):06d}", **fields}
    if parent is None:
        return Organisation.objects.add_root(create_kwargs=values)
    parent.refresh_from_db()
    return Organisation.objects.add_child(parent, create_kwargs=values)


def add_member(
    org,
    name: str = "张三",
    *,
    status: str = "full",
    birth=datetime.date(1985, 3, 1),
    sex="1",
    phone: str = "13800138000",
    user=None,
    **fields,
):
    from qiangji.members.models import Member

    number = make_id_number(birth, sex)
    full, initials = name_pinyin(name)
    values = dict(
        organisation=org,
        org_path=org.path,
        name=name,
        name_pinyin=full,
        name_initials=initials,
        sex=sex,
        id_number_encrypted=crypto.encrypt(number),
        id_number_hash=crypto.blind_index(number),
        id_suffix=number[-4:],
        birth_date=birth,
        category="full" if status == "full" else "probationary",
        status=status,
        political_status="01" if status == "full" else "02",
        joined_on=datetime.date(2010, 7, 1),
        confirmed_on=datetime.date(2011, 7, 1) if status == "full" else None,
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone),
        phone_suffix=phone[-4:] if phone else "",
        user=user,
    )
    values.update(fields)
    return Member.objects.create(**values)


def add_user(username: str, org=None, role: str | None = None, **fields):
    from qiangji.orgs.models import Grant

    user = get_user_model().objects.create_user(username=username, password="pw-test-123456", **fields)
    if org is not None and role is not None:
        Grant.objects.create(user=user, organisation=org, org_path=org.path, role=role)
    return user


@dataclass
class World:
    province: object
    city: object
    county: object
    street: object
    community: object
    branch: object
    branch2: object
    foreign_county: object
    foreign_branch: object
    users: dict
    member: object
    foreign_member: object


def build_world() -> World:
    """省 → 市 → 县 → 街道党工委 → 社区党委 → 两个支部; plus a foreign county with one branch."""
    province = add_org(None, "某省委", "committee", "government", division_code="370000")
    city = add_org(province, "某市委", "committee", "government", division_code="370100")
    county = add_org(city, "某县委", "committee", "government", division_code="370124", region_code="370124")
    street = add_org(county, "城关街道党工委", "working_committee", "community", region_code="370124")
    community = add_org(street, "幸福社区党委", "committee", "community", region_code="370124")
    branch = add_org(community, "幸福社区第一党支部", "branch", "community", region_code="370124")
    branch2 = add_org(community, "幸福社区第二党支部", "branch", "community", region_code="370124")
    foreign_county = add_org(city, "另一县委", "committee", "government", region_code="370125")
    foreign_branch = add_org(foreign_county, "另一县某村党支部", "branch", "rural", region_code="370125")
    users = {
        "sheng": add_user("sheng", province, Role.PROVINCE),
        "xian": add_user("xian", county, Role.COUNTY),
        "jiedao": add_user("jiedao", street, Role.COMMITTEE),
        "zhibu": add_user("zhibu", branch, Role.BRANCH),
        "dangyuan": add_user("dangyuan", branch, Role.MEMBER),
        "foreign": add_user("foreign", foreign_county, Role.COUNTY),
        "nobody": add_user("nobody"),
    }
    users["admin"] = get_user_model().objects.create_superuser("admin", "", "pw-test-123456")
    member = add_member(branch, "李四", user=users["dangyuan"])
    for name in ("王五", "赵六", "单雄信"):
        add_member(branch, name)
    foreign_member = add_member(foreign_branch, "外县党员")
    return World(
        province,
        city,
        county,
        street,
        community,
        branch,
        branch2,
        foreign_county,
        foreign_branch,
        users,
        member,
        foreign_member,
    )

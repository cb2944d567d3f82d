import datetime

import pytest
from django.utils import timezone

from qiangji.core import sms
from qiangji.core.choices import Role
from qiangji.service.models import Category
from qiangji.testing import add_org, add_user


@pytest.fixture(autouse=True)
def _sms_console(settings):
    settings.QIANGJI_SMS_BACKEND = sms.CONSOLE
    settings.QIANGJI_DEMO = True
    sms.ConsoleBackend.outbox.clear()


@pytest.fixture
def desk(world):
    """The world's branch as a compound's branch, a grid with a boundary, a department of the county."""
    admin = world.users["admin"]
    from qiangji.service import services

    place = services.create_place(
        actor=admin,
        kind="compound",
        name="幸福小区",
        organisation=world.branch,
        latitude="36.1",
        longitude="117.1",
    )
    grid = services.create_place(
        actor=admin,
        kind="grid",
        name="第二网格",
        organisation=world.branch2,
        latitude="36.2",
        longitude="117.2",
        boundary=[[36.19, 117.19], [36.19, 117.21], [36.21, 117.21], [36.21, 117.19]],
    )
    dept_org = add_org(world.county, "县住建局党组", "leading_group", "government", region_code="370124")
    dept = services.create_department(actor=admin, organisation=dept_org, name="县住建局")
    dept_user = add_user("zhujian", dept_org, Role.BRANCH)
    community_user = add_user("shequ", world.community, Role.COMMITTEE)
    return {
        "place": place,
        "grid": grid,
        "dept": dept,
        "dept_user": dept_user,
        "community_user": community_user,
        "general": Category.objects.get(code="general"),
        "emergency": Category.objects.get(code="emergency"),
    }


def code_for(phone: str) -> str:
    from qiangji.service.services.intake import CODE_PURPOSE

    sms.send_code(phone, CODE_PURPOSE)
    text = sms.ConsoleBackend.outbox[-1][1]
    return text.split("验证码是 ")[1][:6]


def later(hours=0, days=0):
    return timezone.now() + datetime.timedelta(hours=hours, days=days)

"""A valid roster of N rows (streamed to csv or xlsx) and a scratch organisation tree to import it into."""

import csv
import datetime
import itertools
import random
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from openpyxl import Workbook

from qiangji.core.choices import Role
from qiangji.core.dates import today as platform_today
from qiangji.core.validators import gb11643_check_char
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.roster.exporting import HEADERS
from qiangji.orgs.models import Grant, Organisation
from qiangji.tooling.bench import add_org

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建波文斌宇浩凯健俊帆帅旭宁龙林欣佳琳晨阳雪梅婷颖倩"
EDUCATIONS = ("大学本科", "大学专科", "高中", "硕士研究生", "初中", "中等专科")
POSTS = ("专业技术人员", "企业管理人员", "农牧渔民", "离退休人员", "工勤技能人员", "公务员", "学生")
DATE_FORMATS = ("{:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{d.year}年{d.month}月{d.day}日", "{:%Y%m%d}")
_EPOCH = datetime.date(1950, 1, 1)
_DAYS = 365 * 40


def _headers():
    return HEADERS


def _date(day: datetime.date, index: int) -> str:
    pattern = DATE_FORMATS[index % len(DATE_FORMATS)]
    return pattern.format(day, d=day)


def roster_rows(count: int, *, branch_names: list[str], region: str, today: datetime.date | None = None):
    """Rows of the import template; ID numbers are unique (birth day × sequence) and valid (GB 11643)."""
    today = today or platform_today()
    rng = random.Random(count)
    names = [s + g1 + g2 for s, g1, g2 in itertools.product(SURNAMES[:60], GIVEN[:30], GIVEN[:20])]
    for index in range(count):
        birth = _EPOCH + datetime.timedelta(days=index % _DAYS)
        order = index // _DAYS
        first17 = f"{region}{birth:%Y%m%d}{order:03d}"
        probationary = index % 10 == 9
        joined = (
            today - datetime.timedelta(days=100)
            if probationary
            else birth.replace(year=birth.year + 25, day=min(birth.day, 28))
        )
        mobile = index % 50 == 7
        yield [
            names[rng.randrange(len(names))],
            "男" if order % 2 else "女",
            "汉族" if index % 20 else "回族",
            first17 + gb11643_check_char(first17),
            _date(birth, index),
            EDUCATIONS[index % len(EDUCATIONS)],
            "预备党员" if probationary else "正式党员",
            branch_names[index % len(branch_names)],
            _date(joined, index + 1),
            "" if probationary else _date(joined.replace(year=joined.year + 1), index + 2),
            POSTS[index % len(POSTS)],
            f"139{index % 100_000_000:08d}",
            f"某市某区幸福街道{index % 500}号",
            "正常",
            "否",
            "",
            "是" if mobile else "否",
            "广东省深圳市南山区" if mobile else "",
        ]


def generate_roster(path: str, count: int, *, branch_names: list[str], fmt: str, region: str) -> None:
    rows = roster_rows(count, branch_names=branch_names, region=region)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(_headers())
            writer.writerows(rows)
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名册")
    sheet.append(_headers())
    for row in rows:
        sheet.append(row)
    workbook.save(path)


@dataclass
class ScratchTree:
    root_path: str
    branch_names: list[str]
    region: str
    user: object
    grant_id: int

    def cleanup(self) -> None:
        """Delete the scratch members, events, grant and organisations (set-wise SQL)."""
        prefix = self.root_path + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (MemberStatusEvent, Member):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE org_path LIKE %s", [prefix])
            Grant.objects.filter(pk=self.grant_id).delete()
            Organisation.objects.filter(path__startswith=self.root_path).delete()


def scratch_tree(branches: int) -> ScratchTree:
    """A scratch root committee with `branches` branches and a committee user bound to it."""
    tag = uuid.uuid4().hex[:6]
    root = add_org(None, f"基准测试党委-{tag}", "committee", "other", code=f"BENCH-{tag}")
    names = [
        add_org(
            root, f"基准测试{tag}第{i + 1:03d}党支部", "branch", "community", code=f"BENCH-{tag}-{i:04d}"
        ).name
        for i in range(branches)
    ]
    user, _ = get_user_model().objects.get_or_create(username="bench-importer", defaults={"is_active": False})
    grant = Grant.objects.create(user=user, organisation=root, org_path=root.path, role=Role.COMMITTEE)
    region = f"9{random.randrange(10_000, 99_999)}"
    return ScratchTree(root.path, names, region, user, grant.pk)

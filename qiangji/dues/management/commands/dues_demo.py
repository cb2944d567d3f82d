"""`qiangji dues_demo`: give some demo members a dues base and payments, through the services.

For the demo only: bases from the 2008 table, most members paid up, some in arrears (so the arrears
list, collection rates and suggestions have something to show). Each write is audited as the user.
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qiangji.dues import months, services
from qiangji.dues.choices import DuesCategory
from qiangji.dues.models import DuesBase
from qiangji.members.models import Member

CATEGORIES = [
    (DuesCategory.EMPLOYED, (2500, 12000)),
    (DuesCategory.RETIRED, (2000, 7000)),
    (DuesCategory.FARMER, None),
    (DuesCategory.STUDENT, None),
    (DuesCategory.SELF_EMPLOYED, (1500, 9000)),
]


class Command(BaseCommand):
    help = "演示数据：为部分党员登记党费基数和交纳记录（经服务层写入，记入审计）"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200)
        parser.add_argument("--user", default="", help="以该用户身份写入（默认第一个超级管理员）")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, members=200, user="", seed=1, **options):
        actor = self._actor(user)
        rng = random.Random(seed)
        start = months.shift(services.today(), -services.MAKEUP_MONTHS)
        chosen = (
            Member.objects.filter(status__in=["full", "probationary"], joined_on__lt=start)
            .exclude(pk__in=DuesBase.objects.values("member"))
            .order_by("pk")[:members]
        )
        done = 0
        for member in chosen:
            self._one(actor, member, rng, start)
            done += 1
        self.stdout.write(f"已为 {done} 名党员登记党费基数和交纳记录")

    def _actor(self, username: str):
        users = get_user_model().objects
        actor = (
            users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        )
        if actor is None:
            raise CommandError("没有可用的用户：请用 --user 指定一个有管理权限的账号")
        return actor

    def _one(self, actor, member, rng, start) -> None:
        category, bounds = rng.choice(CATEGORIES)
        income = Decimal(rng.randint(*bounds)) if bounds else None
        base = services.record_base(
            actor=actor, member=member, category=category, income=income, effective_month=start
        )
        paid_until = rng.choice([0, 3, 5, 6, 6, 6, 6])  # most paid up to last month, some behind
        wanted = months.between(start, months.shift(start, paid_until - 1)) if paid_until else []
        if wanted:
            services.record_payment(
                actor=actor,
                member=member,
                months_paid=wanted,
                method="cash",
                amount=base.monthly_amount * len(wanted),
            )

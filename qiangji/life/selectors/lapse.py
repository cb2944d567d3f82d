"""Members with no organisational life for 6 consecutive months (docs/rules.md §5, 自行脱党, N).

"Organisational life" here is a meeting attended, or missed on approved leave (a good reason); the
date is kept per member in `MemberLife` by the services.  A member never seen at a meeting counts
from the day their record entered the platform.  Six calendar months: last life on 1 January is
flagged from 1 July (docs/rules.md（日期计算）).
"""

import datetime

from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.core.dates import add_months
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member

LAPSE_MONTHS = 6  # docs/rules.md §5; 《中国共产党章程》第九条, jygl-2019


def lapse_cutoff(as_of: datetime.date) -> datetime.date:
    """Last life on or before this date means 6 full calendar months without one."""
    return add_months(as_of, -LAPSE_MONTHS)


def lapsed_members(members, as_of: datetime.date):
    """The on-roll members of `members` (already scoped) flagged on `as_of`, with `last_life_on` annotated."""
    cutoff = lapse_cutoff(as_of)
    return (
        members.filter(status__in=ON_ROLL)
        .annotate(last_life_on=Coalesce(F("life__last_attended_on"), TruncDate("created_at")))
        .filter(
            Q(life__last_attended_on__lte=cutoff)
            | Q(
                life__isnull=True,
                created_at__lt=timezone.make_aware(
                    datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time.min)
                ),
            )
        )
        .order_by("org_path", "name_pinyin", "id")
    )


def is_lapsed(member: Member, as_of: datetime.date) -> bool:
    """For the member's page."""
    return lapsed_members(Member.objects.filter(pk=member.pk), as_of).exists()


def lapsed_in(user, org, as_of: datetime.date):
    """The lapse list of the user's scope, narrowed to `org`'s subtree (already read through the scope; None: the whole scope)."""
    members = Member.objects.visible_to(user, Action.VIEW)
    if org is not None:
        members = members.filter(org_path__startswith=org.path)
    return lapsed_members(members, as_of)

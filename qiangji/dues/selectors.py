"""Reads of the dues app.  Callers pass querysets already scoped with `.visible_to()` where noted.

`paid_up_to(member)` is the interface other apps use (the transfer letter prints it).
"""

import datetime

from qiangji.dues.models import DuesAccount


def paid_up_to(member) -> datetime.date | None:
    """The last month (first day) up to which dues are paid without a gap; None if nothing is paid.

    Months paid ahead (quarterly payment) count; a month paid after a gap does not, because the
    letter certifies that everything before it is settled (RULES §5 introduction letter).
    """
    account = DuesAccount.objects.filter(member_id=getattr(member, "pk", member)).only("paid_through").first()
    return account.paid_through if account else None

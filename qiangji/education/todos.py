"""The education to-dos of the home page's work bench (one SQL aggregate over the user's scope)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qiangji.core.dates import today
from qiangji.education import selectors


def todos(user) -> list[dict]:
    """For branch secretaries: members of their branch short of this year's required hours."""
    if not user.is_authenticated or not selectors.is_secretary(user):
        return []
    year = today().year
    count = selectors.short_count(user, year)
    if not count:
        return []
    return [
        {
            "level": "warning" if today().month >= 10 else "info",
            "text": _("%(year)s年度尚未达到学时要求的党员 %(n)s 名") % {"year": year, "n": count},
            "url": reverse("education:coverage") + f"?year={year}",
            "count": count,
            "module": "education",
        }
    ]

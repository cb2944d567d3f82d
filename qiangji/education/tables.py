"""django-tables2 tables of the education app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qiangji.education.models import HourEntry


class HourEntryTable(tables.Table):
    member = tables.Column(accessor="member__name", verbose_name=_("党员"))
    hours = tables.Column(verbose_name=_("学时"), accessor="half_hours")

    def render_hours(self, value):
        return f"{value / 2:g}"

    class Meta:
        model = HourEntry
        fields = ["held_on", "member", "title", "source", "provider", "channel", "hours", "concentrated"]
        attrs = {"class": "table"}

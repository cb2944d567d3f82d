"""Tables of the assessment pages (django-tables2; restyled centrally)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qiangji.assessment.models import Score, StarRating


class ScoreTable(tables.Table):
    org_name = tables.LinkColumn("assessment:score", args=[tables.A("pk")], verbose_name=_("组织"))
    total = tables.Column(verbose_name=_("总分"))
    stars = tables.Column(verbose_name=_("应得星级"))
    vetoed = tables.BooleanColumn(verbose_name=_("一票否决"))

    class Meta:
        model = Score
        fields = ("org_name", "base_points", "bonus", "deduction", "total", "stars", "vetoed")
        order_by = ("-total",)


class RatingTable(tables.Table):
    organisation = tables.LinkColumn(
        "assessment:rating", args=[tables.A("pk")], verbose_name=_("组织"), accessor="score__org_name"
    )
    indicator_set = tables.Column(verbose_name=_("指标体系"))
    status = tables.Column(verbose_name=_("状态"))
    current = tables.Column(verbose_name=_("星级"), accessor="pk", orderable=False)

    class Meta:
        model = StarRating
        fields = ("organisation", "indicator_set", "status", "current")

    def render_current(self, record):
        return record.current_stars

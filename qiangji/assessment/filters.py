"""Filter sets shared by the assessment pages and API lists."""

import django_filters

from qiangji.assessment.choices import RatingStatus
from qiangji.assessment.models import Score, StarRating
from qiangji.core.filters import FilterSet


class ScoreFilter(FilterSet):
    run = django_filters.NumberFilter(field_name="run_id", label="计算批次编号")
    stars = django_filters.NumberFilter(field_name="stars", label="应得星级")

    class Meta:
        model = Score
        fields = ["run", "stars"]


class RatingFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=RatingStatus.choices, label="状态")
    indicator_set = django_filters.NumberFilter(field_name="indicator_set_id", label="指标体系编号")

    class Meta:
        model = StarRating
        fields = ["status", "indicator_set"]

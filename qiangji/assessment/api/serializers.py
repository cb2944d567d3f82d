"""API shapes of the assessment app.  Serializers only type the input; every rule lives in `services`."""

from rest_framework import serializers

from qiangji.assessment.models import IndicatorSet, Score, ScoreLine, StarRating


class ScoreLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoreLine
        fields = (
            "id",
            "kind",
            "label",
            "indicator",
            "numerator",
            "denominator",
            "value",
            "points",
            "max_points",
        )


def stars_field(help_text: str) -> serializers.IntegerField:
    # Plain integers 0–5, not an enum per column (one choice set under many names warns in the schema).
    return serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=5, help_text=help_text
    )


class ScoreSerializer(serializers.ModelSerializer):
    indicator_set = serializers.IntegerField(source="run.indicator_set_id", read_only=True)
    stars = stars_field("按分数应得星级")

    class Meta:
        model = Score
        fields = (
            "id",
            "run",
            "indicator_set",
            "organisation",
            "org_name",
            "base_points",
            "bonus",
            "deduction",
            "total",
            "vetoed",
            "stars",
        )


class ScoreDetailSerializer(ScoreSerializer):
    lines = ScoreLineSerializer(many=True, read_only=True)

    class Meta(ScoreSerializer.Meta):
        fields = (*ScoreSerializer.Meta.fields, "lines")


class ItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="记录页面的地址")
    ok = serializers.BooleanField(help_text="已完成/达标")
    note = serializers.CharField()


class LineExplanationSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    label = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    lost = serializers.DecimalField(max_digits=7, decimal_places=2)
    source = serializers.CharField(help_text="计算来源（评审录入和加减分为空）")
    items = ItemSerializer(many=True)


class ExplanationSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    stars = serializers.IntegerField()
    next_stars = serializers.IntegerField(allow_null=True, help_text="下一星级；已是最高或一票否决时为空")
    gap = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="距下一星级还差的分数"
    )
    lines = LineExplanationSerializer(many=True)


class IndicatorSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorSet
        fields = (
            "id",
            "organisation",
            "name",
            "year",
            "org_category",
            "org_kind",
            "max_bonus",
            "notice_days",
            "appeal_days",
            "source",
        )


class RatingSerializer(serializers.ModelSerializer):
    self_stars = stars_field("自评星级")
    review_stars = stars_field("上级审核星级")
    decided_stars = stars_field("党委决定星级")
    final_stars = stars_field("最终星级")
    previous_stars = stars_field("上年星级")

    class Meta:
        model = StarRating
        fields = (
            "id",
            "indicator_set",
            "organisation",
            "score",
            "status",
            "self_stars",
            "review_stars",
            "decided_stars",
            "notice_starts",
            "notice_ends",
            "final_stars",
            "finalised_on",
            "previous_stars",
        )


class StarsInputSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=0, max_value=5, help_text="星级 0–5")
    note = serializers.CharField(max_length=2000, help_text="说明/意见")

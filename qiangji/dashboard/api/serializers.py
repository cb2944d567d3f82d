"""Serializers of the dashboard API: the figures (issue #6 item 4), every figure with its meaning and its
data-quality note (completeness, last update), and the records behind an exception count."""

from rest_framework import serializers

from qiangji.dashboard.indicators import BY_CODE, EXCEPTION_KINDS, INDICATORS

INDICATOR_CODES = [indicator.code for indicator in INDICATORS]


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    numchild = serializers.IntegerField(help_text="下级组织数")


class ExceptionCountsSerializer(serializers.Serializer):
    def get_fields(self):
        return {kind: serializers.IntegerField() for kind in EXCEPTION_KINDS}


class FigureSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=INDICATOR_CODES)
    label = serializers.CharField()
    unit = serializers.CharField(help_text="人、个、项，或 %（比率，取值0至100）")
    group = serializers.CharField()
    better = serializers.ChoiceField(
        choices=["high", "low"], help_text="数值越高越好（high）或越低越好（low）"
    )
    exception = serializers.CharField(allow_null=True, help_text="对应的异常类别；非异常指标为 null")
    how = serializers.CharField(help_text="计算口径")
    value = serializers.FloatField(allow_null=True, help_text="比率指标无分母时为 null")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    completeness = serializers.FloatField(
        allow_null=True, help_text="数据完整度（0至1）：相关字段已填写的比例，或本级党员档案的平均完整度"
    )
    updated_at = serializers.DateTimeField(allow_null=True, help_text="汇总数据最近更新时间")
    period = serializers.DateField(help_text="统计月份（该月1日）；组织生活和党费按上一个完整月份统计")


class DataStateSerializer(serializers.Serializer):
    last_refresh_at = serializers.DateTimeField(allow_null=True)
    last_rebuild_at = serializers.DateTimeField(allow_null=True)
    last_rebuild_seconds = serializers.FloatField(allow_null=True)
    first_month = serializers.DateField(
        allow_null=True, help_text="存量指标最早快照月份；此前的月份存量指标为空"
    )


class SummarySerializer(serializers.Serializer):
    org = OrgRefSerializer()
    month = serializers.DateField()
    figures = FigureSerializer(many=True)
    exception_counts = ExceptionCountsSerializer()
    data_state = DataStateSerializer()


def figure_rows(figures: dict) -> list[dict]:
    rows = []
    for code, figure in figures.items():
        indicator = BY_CODE[code]
        rows.append(
            {
                "code": code,
                "label": indicator.label,
                "unit": indicator.unit,
                "group": indicator.group,
                "better": indicator.better,
                "exception": indicator.exception,
                "how": indicator.how,
                **figure,
            }
        )
    return rows


class FigureValuesSerializer(serializers.Serializer):
    """{indicator code: value} — one number (or null) per headline figure."""

    def get_fields(self):
        return {code: serializers.FloatField(allow_null=True) for code in INDICATOR_CODES}


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    running = serializers.BooleanField(help_text="本月尚未结束（进行中）：按月结算的指标为空")
    label = serializers.CharField()
    figures = FigureValuesSerializer()


class TrendSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    months = TrendMonthSerializer(many=True)


class ChildSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    numchild = serializers.IntegerField()
    figures = FigureValuesSerializer()
    exception_counts = ExceptionCountsSerializer()
    value = serializers.FloatField(
        allow_null=True, required=False, help_text="按 indicator 查询时，该下级组织的该项指标值"
    )


class ChildrenSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    indicator = serializers.CharField(allow_null=True)
    results = ChildSerializer(many=True)


class ChildrenQuerySerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(
        choices=INDICATOR_CODES, required=False, error_messages={"invalid_choice": "指标代码“{input}”不存在"}
    )
    worst = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": "worst 须在1至100之间",
            "max_value": "worst 须在1至100之间",
            "invalid": "worst 须为整数",
        },
    )

    def validate(self, attrs):
        if "worst" in attrs and "indicator" not in attrs:
            raise serializers.ValidationError({"indicator": "按 worst 排序时须指定 indicator（指标代码）"})
        return attrs


class TrendQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=24,
        default=12,
        error_messages={
            "min_value": "months 须在1至24之间",
            "max_value": "months 须在1至24之间",
            "invalid": "months 须为整数",
        },
    )


class ExceptionRowSerializer(serializers.Serializer):
    record = serializers.CharField(help_text="异常所涉及的党员、发展对象或党组织")
    organisation = serializers.CharField(help_text="所在党组织")
    detail = serializers.CharField(help_text="情况说明（中文）")
    date = serializers.DateField(
        allow_null=True, help_text="该类异常的日期：应完成日、任期届满日、最早未交月份等"
    )
    amount = serializers.IntegerField(allow_null=True, help_text="逾期天数、欠交月数等")
    rule = serializers.CharField(help_text="依据的规则集")
    url = serializers.CharField(help_text="该记录在所属模块中的页面")


class ExceptionPageSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="该党组织及其下级的此类异常总数（与一屏掌控的数字一致）")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ExceptionRowSerializer(many=True)

"""Tables of the case and decision lists (paginated through the shared core template)."""

import django_tables2 as tables

from qiangji.governance.models import Decision, PowerCase


class CaseTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=("governance:case", {"pk": tables.A("pk")}))
    item = tables.Column(verbose_name="事项", accessor="item__title")
    subject = tables.Column(verbose_name="事由")
    village = tables.Column(verbose_name="村（社区）", accessor="village__name")
    opened_on = tables.DateColumn(verbose_name="受理日期", format="Y-m-d")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = PowerCase
        fields = ("number", "item", "subject", "village", "opened_on", "status")
        attrs = {"class": "table"}
        empty_text = "暂无记录"


class DecisionTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=("governance:decision", {"pk": tables.A("pk")}))
    title = tables.Column(verbose_name="事项")
    village = tables.Column(verbose_name="村（社区）", accessor="village__name")
    stage = tables.Column(verbose_name="已完成环节")
    prereview = tables.Column(verbose_name="前置审核")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Decision
        fields = ("number", "title", "village", "stage", "prereview", "status")
        attrs = {"class": "table"}
        empty_text = "暂无记录"

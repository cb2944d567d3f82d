"""The request list (paginated through the shared core template)."""

import django_tables2 as tables

from qiangji.service.models import Request


class RequestTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=("service:request-detail", {"pk": tables.A("pk")}))
    category = tables.Column(verbose_name="类别", accessor="category__name")
    description = tables.Column(verbose_name="内容")
    current_org = tables.Column(verbose_name="当前承办", accessor="current_org__name")
    tier = tables.Column(verbose_name="层级")
    phase = tables.Column(verbose_name="办理状态")
    due_at = tables.DateTimeColumn(verbose_name="本级期限", format="Y-m-d H:i")

    class Meta:
        model = Request
        fields = ("number", "category", "description", "current_org", "tier", "phase", "due_at")
        attrs = {"class": "table"}
        empty_text = "暂无诉求"

    def render_description(self, value):
        return value[:40] + ("…" if len(value) > 40 else "")

"""The audit log table and its export rows (formula neutralising happens in `core.exporting`)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiangji.core import audit_labels
from qiangji.core.models import AuditEntry


class AuditEntryTable(tables.Table):
    created_at = tables.DateTimeColumn(
        format="Y-m-d H:i:s", verbose_name=_("时间"), linkify=("audit-detail", {"pk": tables.A("pk")})
    )
    actor_name = tables.Column(verbose_name=_("操作人"))
    action = tables.Column(verbose_name=_("操作"))
    target_repr = tables.Column(verbose_name=_("对象"))
    org_name = tables.Column(verbose_name=_("所属组织"))

    class Meta:
        model = AuditEntry
        fields = ("created_at", "actor_name", "action", "target_repr", "org_name")
        orderable = False
        template_name = "core/_table.html"
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的审计记录")

    def render_action(self, value):
        return audit_labels.label_for(value)


EXPORT_HEADERS = [
    "时间",
    "操作人",
    "操作代码",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "组织路径",
    "所属组织",
    "请求编号",
]


def export_rows(entries):
    """Rows for CSV/xlsx export, streamed with `iterator()` so a large log is not held in memory."""
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.action,
            audit_labels.label_for(entry.action),
            entry.target_type,
            entry.target_id,
            entry.target_repr,
            entry.org_path,
            entry.org_name,
            entry.request_id,
        ]

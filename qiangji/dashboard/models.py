"""Dashboard rollups (ADR 0008): per organisation and month, counts and sums only.

* `OwnStock` / `OwnFlow` — what an organisation holds itself (its own members, cases, meetings …),
  recomputed for the organisations an audit entry touched.
* `StockRollup` / `FlowRollup` — subtree totals: own + SUM(children's totals), so any node's figures
  are one row and a drill-down is the rows with `parent_id` = the node.
* `RollupState` — the refresh watermark and timings, for the data-quality note.

The tables are derived data: `qiangji dashboard_rebuild` recomputes them from the base tables.
"""

from django.db import models

from qiangji.core.scoping import ScopedQuerySet
from qiangji.dashboard.measures import FLOW, STOCK


def _fields(measures) -> dict:
    fields = {}
    for measure in measures:
        if measure.decimal:
            fields[measure.name] = models.DecimalField(
                measure.label, max_digits=16, decimal_places=2, default=0
            )
        else:
            fields[measure.name] = models.BigIntegerField(measure.label, default=0)
    return fields


def _abstract(name: str, measures) -> type:
    attrs = {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True}), **_fields(measures)}
    return type(name, (models.Model,), attrs)


StockMeasures = _abstract("StockMeasures", STOCK)
FlowMeasures = _abstract("FlowMeasures", FLOW)


class RollupRow(models.Model):
    # The FK is `org`, not `organisation`: the merge service re-points rows with an `organisation` field
    # to the target, which would collide with the target's own rollup row.
    org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    org_path = models.CharField(max_length=255)
    # The organisation's depth when the row was written: a full rebuild selects one level with it
    # (an incremental refresh selects by id, so a depth made stale by a move is never read).
    depth = models.PositiveSmallIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.org_id} {getattr(self, 'month', '')}"


class OwnStock(RollupRow, StockMeasures):
    """An organisation's own stock figures now (no subtree)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org"], name="dashboard_own_stock_unique")]
        verbose_name = "本级存量指标"
        verbose_name_plural = "本级存量指标"


class OwnFlow(RollupRow, FlowMeasures):
    """An organisation's own events of one month (no subtree)."""

    month = models.DateField("月份")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="dashboard_own_flow_unique")]
        indexes = [
            models.Index(fields=["month"], name="dashboard_own_flow_month_idx"),
            models.Index(fields=["depth", "month"], name="dashboard_own_flow_level_idx"),
        ]
        verbose_name = "本级月度指标"
        verbose_name_plural = "本级月度指标"


class StockRollup(RollupRow, StockMeasures):
    """Subtree stock totals; the current month is live, a past month keeps its last refresh."""

    month = models.DateField("月份")
    parent = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="dashboard_stock_unique")]
        indexes = [
            models.Index(fields=["parent", "month"], name="dashboard_stock_parent_idx"),
            models.Index(fields=["month"], name="dashboard_stock_month_idx"),
            models.Index(fields=["depth", "month"], name="dashboard_stock_depth_idx"),
        ]
        verbose_name = "存量指标汇总"
        verbose_name_plural = "存量指标汇总"


class FlowRollup(RollupRow, FlowMeasures):
    """Subtree totals of one month's events."""

    month = models.DateField("月份")
    parent = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="dashboard_flow_unique")]
        indexes = [
            models.Index(fields=["parent", "month"], name="dashboard_flow_parent_idx"),
            models.Index(fields=["month"], name="dashboard_flow_month_idx"),
            models.Index(fields=["depth", "month"], name="dashboard_flow_depth_idx"),
        ]
        verbose_name = "月度指标汇总"
        verbose_name_plural = "月度指标汇总"


class RollupState(models.Model):
    """One row (`key="default"`): how current the rollups are."""

    key = models.CharField(max_length=20, unique=True, default="default")
    watermark = models.DateTimeField("已处理至", null=True, blank=True)
    last_refresh_at = models.DateTimeField("最近刷新", null=True, blank=True)
    last_refresh_seconds = models.FloatField("最近刷新耗时（秒）", null=True, blank=True)
    last_refresh_orgs = models.PositiveIntegerField("最近刷新涉及组织数", default=0)
    last_rebuild_at = models.DateTimeField("最近全量重建", null=True, blank=True)
    last_rebuild_seconds = models.FloatField("最近全量重建耗时（秒）", null=True, blank=True)
    first_month = models.DateField("最早存量快照月份", null=True, blank=True)

    class Meta:
        verbose_name = "汇总状态"
        verbose_name_plural = "汇总状态"

    def __str__(self):
        return f"rollups {self.last_refresh_at or '-'}"

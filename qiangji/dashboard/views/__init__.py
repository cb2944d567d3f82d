"""Pages of the dashboard (一屏掌控): one module a page group."""

from qiangji.dashboard.views.files import (
    ChildrenExportView,
    ExceptionExportView,
    SummaryPdfView,
    TrendExportView,
    WorstExportView,
)
from qiangji.dashboard.views.lists import ExceptionListView
from qiangji.dashboard.views.screen import HomeView, NodeView

__all__ = [
    "ChildrenExportView",
    "ExceptionExportView",
    "ExceptionListView",
    "HomeView",
    "NodeView",
    "SummaryPdfView",
    "TrendExportView",
    "WorstExportView",
]

"""HTML views of the dues app: thin, every read scoped, every write through `services`."""

from qiangji.dues.views.decisions import (
    ReductionAgreeView,
    ReductionDecideView,
    ReductionListView,
    SuggestionComputeView,
    SuggestionDecideView,
    SuggestionListView,
)
from qiangji.dues.views.member import (
    BaseView,
    MemberDuesView,
    MonthTableView,
    MyDuesView,
    PaymentView,
    QuickPayView,
    ReductionCreateView,
    VoluntaryView,
)
from qiangji.dues.views.online import FakePayView, NotifyView, OnlineStartView, OrderView
from qiangji.dues.views.reports import ArrearsExportView, ArrearsView, RatesView, RemittanceView

__all__ = [
    "ArrearsExportView",
    "ArrearsView",
    "BaseView",
    "FakePayView",
    "MemberDuesView",
    "MonthTableView",
    "MyDuesView",
    "NotifyView",
    "OnlineStartView",
    "OrderView",
    "PaymentView",
    "QuickPayView",
    "RatesView",
    "ReductionAgreeView",
    "ReductionCreateView",
    "ReductionDecideView",
    "ReductionListView",
    "RemittanceView",
    "SuggestionComputeView",
    "SuggestionDecideView",
    "SuggestionListView",
    "VoluntaryView",
]

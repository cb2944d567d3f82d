"""API routes of the dashboard: /api/v1/dashboard/…"""

from django.urls import path

from qiangji.dashboard.api.views import ChildrenView, ExceptionListView, SummaryView, TrendView

urlpatterns: list = [
    path("orgs/<int:pk>/summary/", SummaryView.as_view(), name="dashboard-summary"),
    path("orgs/<int:pk>/trend/", TrendView.as_view(), name="dashboard-trend"),
    path("orgs/<int:pk>/children/", ChildrenView.as_view(), name="dashboard-children"),
    path("orgs/<int:pk>/exceptions/<slug:kind>/", ExceptionListView.as_view(), name="dashboard-exceptions"),
]

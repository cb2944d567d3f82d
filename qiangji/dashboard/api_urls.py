"""API routes of the dashboard: /api/v1/dashboard/…"""

from django.urls import path

from qiangji.dashboard.api_exceptions import ExceptionListView

urlpatterns: list = [
    path("orgs/<int:pk>/exceptions/<slug:kind>/", ExceptionListView.as_view(), name="dashboard-exceptions"),
]

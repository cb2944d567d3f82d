"""HTML routes of the dashboard (一屏掌控)."""

from django.urls import path

from qiangji.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("org/<int:pk>/", views.NodeView.as_view(), name="node"),
    path("org/<int:pk>/summary.pdf", views.SummaryPdfView.as_view(), name="summary-pdf"),
    path("org/<int:pk>/export/children/", views.ChildrenExportView.as_view(), name="children-export"),
    path("org/<int:pk>/export/trend/", views.TrendExportView.as_view(), name="trend-export"),
    path("org/<int:pk>/export/worst/", views.WorstExportView.as_view(), name="worst-export"),
    path("org/<int:pk>/exceptions/<slug:kind>/", views.ExceptionListView.as_view(), name="exceptions"),
    path(
        "org/<int:pk>/exceptions/<slug:kind>/export/",
        views.ExceptionExportView.as_view(),
        name="exceptions-export",
    ),
]

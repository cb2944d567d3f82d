from django.urls import include, path

from qiangji.core.api import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("qiangji.core.api_jobs")),
]

"""/api/v1/: each app contributes its routes through its own `api.py`."""

from django.urls import include, path

urlpatterns = [
    path("", include("qiangji.core.api_urls")),
    path("", include("qiangji.orgs.api_urls")),
    path("", include("qiangji.members.api_urls")),
    path("", include("qiangji.members.import_api_urls")),
    path("recruitment/", include("qiangji.recruitment.api_urls")),
    path("recruitment/", include("qiangji.recruitment.api_ui")),
    path("life/", include("qiangji.life.api_urls")),
    path("mobility/", include("qiangji.mobility.api_urls")),
    path("dues/", include("qiangji.dues.api_urls")),
    path("dashboard/", include("qiangji.dashboard.api.urls")),
]

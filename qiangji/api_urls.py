"""/api/v1/: each app contributes its routes through its own `api.py`."""

from django.urls import include, path

urlpatterns = [
    path("", include("qiangji.core.api_urls")),
    path("", include("qiangji.orgs.api.urls")),
    path("", include("qiangji.members.api.urls")),
    path("recruitment/", include("qiangji.recruitment.api.urls")),
    path("life/", include("qiangji.life.api.urls")),
    path("mobility/", include("qiangji.mobility.api.urls")),
    path("dues/", include("qiangji.dues.api.urls")),
    path("dashboard/", include("qiangji.dashboard.api.urls")),
]

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
    path("service/", include("qiangji.service.api.urls")),
    path("education/", include("qiangji.education.api.urls")),
    path("governance/", include("qiangji.governance.api.urls")),
    path("assessment/", include("qiangji.assessment.api.urls")),
    path("dashboard/", include("qiangji.dashboard.api.urls")),
]

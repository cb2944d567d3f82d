from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

handler500 = "qiangji.core.security.server_error"  # a database outage outside a view: 503, not 500

urlpatterns = [
    path("", include("qiangji.core.urls")),
    path("orgs/", include("qiangji.orgs.urls")),
    path("members/", include("qiangji.members.urls")),
    path("imports/", include("qiangji.members.roster.urls")),
    path("recruitment/", include("qiangji.recruitment.urls")),
    path("life/", include("qiangji.life.urls")),
    path("mobility/", include("qiangji.mobility.urls")),
    path("dues/", include("qiangji.dues.urls")),
    path("service/", include("qiangji.service.urls")),
    path("education/", include("qiangji.education.urls")),
    path("governance/", include("qiangji.governance.urls")),
    path("assessment/", include("qiangji.assessment.urls")),
    path("dashboard/", include("qiangji.dashboard.urls")),
    path("api/v1/", include("qiangji.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

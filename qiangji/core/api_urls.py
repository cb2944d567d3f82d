from django.urls import include, path
from rest_framework.routers import SimpleRouter

from qiangji.core.api import AuditEntryViewSet, TokenView
from qiangji.core.api_notifications import NotificationViewSet

router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit-entry")
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    *router.urls,
    path("", include("qiangji.core.api_jobs")),
]

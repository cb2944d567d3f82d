from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.mobility.api import views as api

router = SimpleRouter()
router.register("transfers", api.TransferViewSet, basename="mobility-transfer")
router.register("flows", api.FlowViewSet, basename="mobility-flow")
router.register("certificates", api.CertificateViewSet, basename="mobility-certificate")
router.register("anchors", api.AnchorViewSet, basename="mobility-anchor")
router.register("hours", api.HoursViewSet, basename="mobility-hours")
router.register("reports", api.ReportViewSet, basename="mobility-report")
router.register("intake", api.IntakeViewSet, basename="mobility-intake")
urlpatterns = [
    path(
        "certificates/<str:number>/status/",
        api.CertificateStatusView.as_view(),
        name="mobility-certificate-status",
    ),
    *router.urls,
]

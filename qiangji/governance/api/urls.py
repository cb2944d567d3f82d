from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.governance.api import views as api

router = SimpleRouter()
router.register("items", api.ItemViewSet, basename="governance-item")
router.register("cases", api.CaseViewSet, basename="governance-case")
router.register("objections", api.ObjectionViewSet, basename="governance-objection")
router.register("reports", api.ReportViewSet, basename="governance-report")
router.register("rules", api.RuleViewSet, basename="governance-rule")
router.register("decisions", api.DecisionViewSet, basename="governance-decision")
router.register("points", api.PointViewSet, basename="governance-point")
router.register("findings", api.FindingViewSet, basename="governance-finding")
urlpatterns = [
    path("public/<str:code>/", api.DisclosureView.as_view(), name="governance-disclosure"),
    *router.urls,
]

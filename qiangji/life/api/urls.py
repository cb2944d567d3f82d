from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.life.api.views import (
    CheckInView,
    ComplianceBranchesView,
    ComplianceSeriesView,
    ComplianceSummaryView,
    ExemptionViewSet,
    LapsedMembersView,
    MeetingTypeViewSet,
    MeetingViewSet,
    PlanItemViewSet,
    PlanViewSet,
    ThemeViewSet,
)

router = SimpleRouter()
router.register("meeting-types", MeetingTypeViewSet, basename="life-meeting-type")
router.register("themes", ThemeViewSet, basename="life-theme")
router.register("plans", PlanViewSet, basename="life-plan")
router.register("plan-items", PlanItemViewSet, basename="life-plan-item")
router.register("meetings", MeetingViewSet, basename="life-meeting")
router.register("exemptions", ExemptionViewSet, basename="life-exemption")

urlpatterns = [
    path("checkin/", CheckInView.as_view(), name="life-checkin"),
    path("compliance/", ComplianceSummaryView.as_view(), name="life-compliance"),
    path("compliance/branches/", ComplianceBranchesView.as_view(), name="life-compliance-branches"),
    path("compliance/series/", ComplianceSeriesView.as_view(), name="life-compliance-series"),
    path("lapsed/", LapsedMembersView.as_view(), name="life-lapsed"),
    *router.urls,
]

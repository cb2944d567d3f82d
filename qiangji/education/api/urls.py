from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.education.api import views as api

router = SimpleRouter()
router.register("sessions", api.SessionViewSet, basename="education-session")
router.register("entries", api.HourEntryViewSet, basename="education-entry")
router.register("courses", api.CourseViewSet, basename="education-course")
router.register("classes", api.TrainingClassViewSet, basename="education-class")
urlpatterns = [
    path("me/", api.MyYearView.as_view(), name="education-my-year"),
    path("members/<int:pk>/year/", api.MemberYearView.as_view(), name="education-member-year"),
    path("ledger/", api.LedgerView.as_view(), name="education-ledger"),
    path("coverage/", api.CoverageView.as_view(), name="education-coverage"),
    *router.urls,
]

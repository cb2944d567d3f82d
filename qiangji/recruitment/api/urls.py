from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.recruitment.api.views.cases import CaseViewSet, RuleViewSet
from qiangji.recruitment.api.views.due import DueListView
from qiangji.recruitment.api.views.forms import FormRangeViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="recruitment-case")
router.register("rules", RuleViewSet, basename="recruitment-rule")
router.register("form-ranges", FormRangeViewSet, basename="recruitment-form-range")
urlpatterns = [
    *router.urls,
    path("due/", DueListView.as_view(), name="recruitment-due"),
]

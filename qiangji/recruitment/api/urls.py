from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.recruitment.api.views.cases import CaseViewSet, RuleViewSet
from qiangji.recruitment.api.views.due import DueListView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="recruitment-case")
router.register("rules", RuleViewSet, basename="recruitment-rule")
urlpatterns = [
    *router.urls,
    path("due/", DueListView.as_view(), name="recruitment-due"),
]

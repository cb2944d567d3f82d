from rest_framework.routers import SimpleRouter

from qiangji.recruitment.api import CaseViewSet, RuleViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="recruitment-case")
router.register("rules", RuleViewSet, basename="recruitment-rule")
urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from qiangji.recruitment.api import CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="recruitment-case")
urlpatterns = router.urls

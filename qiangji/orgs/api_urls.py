from rest_framework.routers import SimpleRouter

from qiangji.orgs.api import OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from qiangji.orgs.api.views import GrantViewSet, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("grants", GrantViewSet, basename="grant")
urlpatterns = router.urls

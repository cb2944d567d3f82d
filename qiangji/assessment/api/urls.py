from rest_framework.routers import SimpleRouter

from qiangji.assessment.api import views as api

router = SimpleRouter()
router.register("sets", api.IndicatorSetViewSet, basename="assessment-set")
router.register("scores", api.ScoreViewSet, basename="assessment-score")
router.register("ratings", api.RatingViewSet, basename="assessment-rating")
urlpatterns = [*router.urls]

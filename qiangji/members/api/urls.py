from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.members.api.views import ImportUploadView, MemberViewSet

router = SimpleRouter()
router.register("members", MemberViewSet, basename="member")
urlpatterns = [
    *router.urls,
    path("imports/", ImportUploadView.as_view(), name="api-imports"),
]

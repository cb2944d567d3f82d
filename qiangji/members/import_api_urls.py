from django.urls import path

from qiangji.members.import_api import ImportUploadView

urlpatterns = [
    path("imports/", ImportUploadView.as_view(), name="api-imports"),
]

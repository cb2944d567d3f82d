from django.urls import path

from qiangji.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.TreeView.as_view(), name="tree"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/children/", views.ChildrenView.as_view(), name="children"),
]

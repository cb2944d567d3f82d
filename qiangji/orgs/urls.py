from django.urls import path

from qiangji.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.TreeView.as_view(), name="tree"),
    path("search/", views.OrganisationSearchView.as_view(), name="search"),
    path("picker/children/", views.OrganisationPickerChildrenView.as_view(), name="picker-children"),
    path("list/", views.OrganisationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/children/", views.ChildrenView.as_view(), name="children"),
    path("<int:pk>/add-child/", views.OrganisationCreateView.as_view(), name="create-child"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="edit"),
    path("<int:pk>/move/", views.OrganisationMoveView.as_view(), name="move"),
    path("<int:pk>/merge/", views.OrganisationMergeView.as_view(), name="merge"),
    path("<int:pk>/dissolve/", views.OrganisationDissolveView.as_view(), name="dissolve"),
    path("<int:pk>/elect/", views.CommitteeElectView.as_view(), name="elect"),
    path("<int:pk>/grants/", views.GrantsView.as_view(), name="grants"),
    path("grants/<int:pk>/revoke/", views.GrantRevokeView.as_view(), name="grant-revoke"),
]

from django.urls import path

from qiangji.members import views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("search/", views.MemberSearchView.as_view(), name="search"),
    path("mine/", views.MyRecordView.as_view(), name="mine"),
    path("new/", views.MemberCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="edit"),
    path("<int:pk>/status/", views.StatusEventView.as_view(), name="status"),
    path("<int:pk>/records/new/", views.RecordAddView.as_view(), name="record-add"),
    path("<int:pk>/positions/new/", views.PositionAddView.as_view(), name="position-add"),
    path("<int:pk>/reveal-id/", views.RevealView.as_view(field="id_number"), name="reveal-id"),
    path("<int:pk>/reveal-phone/", views.RevealView.as_view(field="phone"), name="reveal-phone"),
]

from django.urls import path, re_path

from qiangji.service.views import desk, public

app_name = "service"

urlpatterns = [
    path("", desk.HomeView.as_view(), name="home"),
    path("new/", public.SubmitView.as_view(), name="submit"),
    path("help/", public.OneTapView.as_view(), name="onetap"),
    path("status/", public.StatusView.as_view(), name="status"),
    path("t/<str:token>/", public.TrackView.as_view(), name="track"),
    path("rate/", public.NeighbourRatingView.as_view(), name="rate"),
    path("stations/", public.StationDirectoryView.as_view(), name="stations"),
    path("requests/", desk.RequestListView.as_view(), name="request-list"),
    path("requests/<int:pk>/", desk.RequestDetailView.as_view(), name="request-detail"),
    re_path(
        r"^requests/(?P<pk>[0-9]{1,18})/(?P<action>" + "|".join(desk.ActionView.titles) + r")/$",
        desk.ActionView.as_view(),
        name="request-action",
    ),
    path("pool/", desk.PoolView.as_view(), name="pool"),
    path("behalf/", desk.BehalfView.as_view(), name="behalf"),
    path("figures/", desk.FiguresView.as_view(), name="figures"),
    path("rules/", desk.RulesView.as_view(), name="rules"),
    path("workdays/", desk.WorkdaysView.as_view(), name="workdays"),
    path("registry/", desk.RegistryView.as_view(), name="registry"),
]

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from qiangji.service.api import views as api

router = SimpleRouter()
router.register("requests", api.DeskRequestViewSet, basename="service-request")

FMT = r"\.(?P<format>json|xml)$"


def both(route: str, regex: str, view, name: str) -> list:
    """An Open311 resource at its suffix-less path (in the OpenAPI; format by ?format= or Accept) and at
    the spec's `.json`/`.xml` path (the same view, left out of the OpenAPI)."""
    return [
        path(route, view.as_view(), name=f"service-{name}"),
        re_path(regex + FMT, api.suffixed(view).as_view(), name=f"service-{name}-fmt"),
    ]


urlpatterns = [
    *both("open311/discovery/", r"^open311/discovery", api.DiscoveryView, "open311-discovery"),
    *both("open311/services/", r"^open311/services", api.ServiceListView, "open311-services"),
    *both(
        "open311/services/<slug:service_code>/",
        r"^open311/services/(?P<service_code>[-a-zA-Z0-9_]{1,40})",
        api.ServiceDefinitionView,
        "open311-service",
    ),
    *both("open311/requests/", r"^open311/requests", api.RequestsView, "open311-requests"),
    *both(
        "open311/requests/<str:number>/",
        r"^open311/requests/(?P<number>[A-Za-z0-9]{1,20})",
        api.RequestDetailView,
        "open311-request",
    ),
    *both(
        "open311/tokens/<str:token>/",
        r"^open311/tokens/(?P<token>[a-f0-9]{1,32})",
        api.TokenView,
        "open311-token",
    ),
    *both(
        "open311/servicerequestupdates/",
        r"^open311/servicerequestupdates",
        api.UpdatesView,
        "open311-updates",
    ),
    path("figures/", api.FiguresView.as_view(), name="service-figures"),
    *router.urls,
]

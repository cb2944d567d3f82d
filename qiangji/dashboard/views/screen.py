"""The screen of one node (一屏掌控): headline figures with their data quality, the trend by month, the
worst children per indicator, every exception count linking to its records, the children to drill into.

Reads only the rollup selectors; `?wall=1` is the wall-screen mode (dark, big type, HTMX refresh every
60 s: the same view answers the refresh with the screen fragment only).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qiangji.core.views import is_htmx
from qiangji.dashboard import figures as fig
from qiangji.dashboard.selectors import breadcrumbs, dashboard_org, own_roots
from qiangji.dashboard.views.base import NO_NODE, WORST_CHOICES, worst_n

REFRESH_SECONDS = 60


class HomeView(LoginRequiredMixin, View):
    """To the user's own node; with several nodes, a choice between them."""

    def get(self, request):
        roots = own_roots(request.user)
        if not roots:
            raise Http404(NO_NODE)
        if len(roots) == 1:
            return redirect("dashboard:node", pk=roots[0].pk)
        return render(request, "dashboard/choose.html", {"roots": roots})


class NodeView(LoginRequiredMixin, View):
    def get(self, request, pk):
        org = dashboard_org(request.user, pk)
        wall = request.GET.get("wall") == "1"
        n = worst_n(request)
        context = {
            **fig.screen_data(org, n, wall=wall),
            "org": org,
            "wall": wall,
            "n": n,
            "worst_choices": WORST_CHOICES,
            "crumbs": breadcrumbs(request.user, org),
            "refresh_seconds": REFRESH_SECONDS,
            "refresh_url": f"{reverse('dashboard:node', kwargs={'pk': org.pk})}?wall=1&n={n}",
        }
        template = "dashboard/_screen.html" if is_htmx(request) else "dashboard/node.html"
        return render(request, template, context)

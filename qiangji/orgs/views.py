"""Organisation pages: thin views over selectors (reads) and services (writes)."""

from django.views.generic import DetailView, TemplateView

from qiangji.core.views import ScopedMixin
from qiangji.orgs import selectors
from qiangji.orgs.models import Organisation


class TreeView(ScopedMixin, TemplateView):
    template_name = "orgs/tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roots=selectors.tree_roots(self.request.user), **kwargs)


class ChildrenView(ScopedMixin, DetailView):
    model = Organisation
    template_name = "orgs/_children.html"
    context_object_name = "org"

    def get_context_data(self, **kwargs):
        return super().get_context_data(children=selectors.children_of(self.object, self.request.user), **kwargs)


class OrganisationDetailView(ScopedMixin, DetailView):
    model = Organisation
    template_name = "orgs/detail.html"
    context_object_name = "org"

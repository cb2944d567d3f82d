"""Organisation pages: thin views over selectors (reads) and services (writes).

Every object is fetched through `ScopedMixin` with the action the page needs, so an organisation
outside the user's subtree (or one they may only read) answers 404 before any form is shown.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View
from django_tables2 import RequestConfig

from qiangji.core.choices import Action
from qiangji.core.exporting import ExportMixin
from qiangji.core.navigation import ManagerRequiredMixin
from qiangji.core.scoping import NOT_FOUND, scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.orgs import forms, search, selectors, services
from qiangji.orgs.choices import OrgCategory, OrgKind
from qiangji.orgs.filters import OrganisationFilterSet
from qiangji.orgs.models import Grant, Organisation
from qiangji.orgs.tables import OrganisationTable


class TreeView(ExportMixin, ManagerRequiredMixin, ScopedMixin, TemplateView):
    template_name = "orgs/tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roots=selectors.tree_roots(self.request.user), **kwargs)


class ReadOnlyObjectMixin:
    """A POST to a read page answers 404 for an organisation out of scope (as every page does), else 405."""

    def post(self, request, *args, **kwargs):
        self.get_object()
        return HttpResponseNotAllowed(["GET", "HEAD"])


class ChildrenView(ReadOnlyObjectMixin, ScopedMixin, DetailView):
    """HTMX partial: one level of the tree, loaded when a node is opened."""

    model = Organisation
    template_name = "orgs/_children.html"
    context_object_name = "org"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            children=selectors.children_of(self.object, self.request.user), **kwargs
        )


class OrganisationListView(ExportMixin, ScopedMixin, TemplateView):
    template_name = "orgs/list.html"

    def get_context_data(self, **kwargs):
        base = Organisation.objects.visible_to(self.request.user)
        filterset = OrganisationFilterSet(self.request.GET or None, queryset=base, request=self.request)
        table = OrganisationTable(filterset.qs if filterset.is_bound and filterset.is_valid() else base)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(filter=filterset, table=table, **kwargs)


class OrganisationDetailView(ReadOnlyObjectMixin, ScopedMixin, DetailView):
    model = Organisation
    template_name = "orgs/detail.html"
    context_object_name = "org"

    def get_context_data(self, **kwargs):
        org, user = self.object, self.request.user
        scope = scope_of(user)
        return super().get_context_data(
            breadcrumbs=selectors.breadcrumbs(org, user),
            children=selectors.children_of(org, user),
            term=selectors.term_status(org),
            warnings=selectors.structure_warnings(org),
            summary=selectors.member_summary(org, user),
            entries=history_for(org, user)[:20],
            may_change=scope.allows(Action.CHANGE, org.path),
            may_manage=scope.allows(Action.MANAGE_TREE, org.path),
            may_restructure=selectors.may_restructure(user, org),
            has_term_rule=selectors.term_rule_for(org) is not None,
            **kwargs,
        )


class OrganisationFormView(ScopedMixin, ServiceFormView):
    """GET shows the form for a scoped organisation; POST calls one service (`perform`), whose refusals go
    back onto the form's fields; success returns to the organisation the service answered (default this one)."""

    model = Organisation
    template_name = "orgs/form.html"
    title = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.org = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_success_redirect(self, result) -> str:
        return reverse("orgs:detail", kwargs={"pk": (result or self.org).pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            org=self.org,
            title=self.title,
            breadcrumbs=selectors.breadcrumbs(self.org, self.request.user),
            **kwargs,
        )


class OrganisationCreateView(OrganisationFormView):
    scope_action = Action.MANAGE_TREE
    form_class = forms.OrganisationForm
    title = _("新建下级组织")
    success_message = _("已新建组织")

    def perform(self, form):
        return services.create_organisation(actor=self.request.user, parent=self.org, **form.cleaned_data)


class OrganisationUpdateView(OrganisationFormView):
    scope_action = Action.CHANGE
    form_class = forms.OrganisationForm
    title = _("编辑组织信息")
    success_message = _("已保存")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.org}

    def perform(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.update_organisation(actor=self.request.user, org=self.org, **changed)


class RestructureMixin:
    """Move, merge and dissolve are decided one level up: a node's own managers get 404 here."""

    scope_action = Action.MANAGE_TREE

    def get_object(self, queryset=None):
        org = super().get_object(queryset)
        if not selectors.may_restructure(self.request.user, org):
            raise Http404(NOT_FOUND)
        return org


class OrganisationMoveView(RestructureMixin, OrganisationFormView):
    form_class = forms.MoveForm
    title = _("调整隶属关系")
    success_message = _("已移动该组织及其全部下级")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.move_subtree(
            actor=self.request.user, org=self.org, new_parent=form.cleaned_data["new_parent"]
        )


class OrganisationMergeView(OrganisationMoveView):
    form_class = forms.MergeForm
    title = _("合并到其他组织")
    success_message = _("已合并")

    def perform(self, form):
        data = form.cleaned_data
        services.merge_organisations(
            actor=self.request.user, source=self.org, target=data["target"], on=data["on"]
        )
        return data["target"]


class OrganisationDissolveView(RestructureMixin, OrganisationFormView):
    form_class = forms.DissolveForm
    title = _("撤销组织")
    success_message = _("已撤销该组织")

    def perform(self, form):
        return services.dissolve_organisation(actor=self.request.user, org=self.org, **form.cleaned_data)


class CommitteeElectView(OrganisationFormView):
    scope_action = Action.CHANGE
    form_class = forms.CommitteeForm
    template_name = "orgs/elect.html"
    title = _("换届选举")
    success_message = _("已录入新一届委员会")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("seats", self.seat_formset())
        return context

    def seat_formset(self):
        members = forms.seat_members(self.org, self.request.user)
        data = self.request.POST if self.request.method == "POST" else None
        return forms.SeatFormSet(data, prefix="seats", form_kwargs={"members": members})

    def post(self, request, *args, **kwargs):
        form, seats = self.get_form(), self.seat_formset()
        if not (form.is_valid() and seats.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, seats=seats))
        self.seats = [seat for seat in (f.as_seat() for f in seats) if seat]
        return self.form_valid(form)

    def perform(self, form):
        services.elect_committee(actor=self.request.user, org=self.org, seats=self.seats, **form.cleaned_data)
        return self.org


class GrantsView(OrganisationFormView):
    """Who holds which role at this node; managers of the subtree add and remove grants here."""

    scope_action = Action.MANAGE_TREE
    form_class = forms.GrantForm
    template_name = "orgs/grants.html"
    title = _("角色授权")
    success_message = _("已授权")

    def get_context_data(self, **kwargs):
        return super().get_context_data(grants=selectors.grants_at(self.org, self.request.user), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.grant_role(actor=self.request.user, user=data["user"], org=self.org, role=data["role"])
        return None

    def get_success_redirect(self, result) -> str:
        return reverse("orgs:grants", kwargs={"pk": self.org.pk})


class GrantRevokeView(ScopedMixin, View):
    """POST only; a grant outside the user's manageable subtree is a 404 for GET and POST alike."""

    model = Grant
    scope_action = Action.MANAGE_TREE

    def get(self, request, *args, **kwargs):
        self.get_object()
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        grant = self.get_object()
        try:
            services.revoke_grant(actor=request.user, grant=grant)
            messages.success(request, _("已撤销授权"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("orgs:grants", pk=grant.organisation_id)


def _picker_action(request) -> str | None:
    action = request.GET.get("action") or Action.VIEW
    return action if action in Action.values else None


class OrganisationSearchView(LoginRequiredMixin, View):
    """JSON for the organisation picker: `?q=<name, part of it, pinyin or initials>&action=<view|change|…>`,
    at most 20 organisations in the user's scope for that action, best first (orgs.search)."""

    def get(self, request, *args, **kwargs):
        action = _picker_action(request)
        if action is None:
            return _bad_parameter("action", _("action 取值无效"))
        within = org_from_request(request, action, param="within") if request.GET.get("within") else None
        orgs = search.search_organisations(
            request.user,
            request.GET.get("q", ""),
            action,
            within=within,
            active_only=request.GET.get("include_dissolved") != "1",
            kinds=[kind for kind in request.GET.getlist("kind") if kind in OrgKind.values],
            categories=[c for c in request.GET.getlist("category") if c in OrgCategory.values],
            everywhere=request.GET.get("scope") == "all",
        )
        return JsonResponse({"results": search.as_results(orgs)}, json_dumps_params={"ensure_ascii": False})


class OrganisationPickerChildrenView(LoginRequiredMixin, View):
    """JSON for the tree picker: `?parent=<id>` the visible children of that node (with whether each has
    children of its own), no parent the top of the user's scope; `action` as for the search."""

    def get(self, request, *args, **kwargs):
        action = _picker_action(request)
        if action is None:
            return _bad_parameter("action", _("action 取值无效"))
        everywhere = request.GET.get("scope") == "all"
        if everywhere and request.GET.get("parent"):
            parent = search.platform_node(request.user, request.GET["parent"])
        else:
            parent = org_from_request(request, Action.VIEW, param="parent")
        kinds = [kind for kind in request.GET.getlist("kind") if kind in OrgKind.values]
        orgs = search.picker_children(request.user, parent, action, kinds=kinds, everywhere=everywhere)
        return JsonResponse({"results": orgs}, json_dumps_params={"ensure_ascii": False})


def _bad_parameter(name: str, message: str):
    return JsonResponse(
        {"code": "invalid", "detail": message, "fields": {name: [message]}},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )

"""HTML views of the member registry: thin, every read scoped, every write through `services`."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View
from django_tables2 import SingleTableMixin

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import ScopedMixin, ServiceFormView, is_htmx, org_from_request
from qiangji.members import services
from qiangji.members.filters import MemberFilter
from qiangji.members.forms import MemberForm, PositionForm, RewardPunishmentForm, StatusEventForm
from qiangji.members.models import Member
from qiangji.members.search import member_search
from qiangji.members.selectors import cached_completeness, member_list, own_member_record
from qiangji.members.tables import MemberTable
from qiangji.orgs.fields import picker_for


def member_only(user) -> bool:
    """A user whose only binding is the member role sees their own page and nothing else."""
    scope = scope_of(user)
    return not scope.is_superuser and not scope.paths_for(Action.VIEW) and bool(scope.member_ids)


def export_url(request) -> str:
    """The roster export takes the list's query string (without the page and the sort)."""
    url = reverse("imports:members-export")
    query = request.GET.copy()
    for key in ("page", "sort"):
        query.pop(key, None)
    return f"{url}?{query.urlencode()}" if query else url


def history_entries(obj, user):
    """The page's audit history (the shared fragment core/_history.html shows it)."""
    return history_for(obj, user)[:50]


class MemberListView(ScopedMixin, SingleTableMixin, TemplateView):
    model = Member
    table_class = MemberTable
    paginate_by = 25
    template_name = "members/member_list.html"

    def get(self, request, *args, **kwargs):
        if member_only(request.user):
            return redirect("members:mine")
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return ["members/_results.html"] if is_htmx(self.request) else [self.template_name]

    def get_filterset(self) -> MemberFilter:
        if not hasattr(self, "_filterset"):
            base = member_list(self.get_queryset())
            filterset = MemberFilter(self.request.GET, queryset=base, request=self.request)
            org_field = filterset.form.fields["org"]
            # Beyond a few dozen organisations the filter is the picker (name, pinyin or the tree), never
            # a flat list of hundreds nor a hidden field (a county roster has ~300 organisations).
            picked = picker_for(filterset.form, "org", user=self.request.user, action=Action.VIEW)
            if picked is not org_field:
                picked.required = False
                picked.error_messages["invalid_choice"] = org_field.error_messages["invalid_choice"]
            self._filterset = filterset
        return self._filterset

    def get_table_data(self):
        return self.get_filterset().qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        context.update(
            filter=filterset,
            summary=cached_completeness(filterset.qs, count=context["table"].paginator.count),
            export_url=export_url(self.request),
            may_create=bool(scope_of(self.request.user).paths_for(Action.CHANGE))
            or self.request.user.is_superuser,
        )
        return context


class MemberSearchView(LoginRequiredMixin, View):
    """JSON for the member picker: `?q=<name, pinyin, initials or last digits of the ID number>&action=…`
    (`org=<id>` to stay within one organisation's subtree), at most 20 members in the user's scope."""

    def get(self, request, *args, **kwargs):
        action = request.GET.get("action") or Action.VIEW
        if action not in Action.values:
            message = _("action 取值无效")
            return JsonResponse(
                {"code": "invalid", "detail": message, "fields": {"action": [message]}},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        org = org_from_request(request, action) if request.GET.get("org") else None
        members = member_search(request.user, request.GET.get("q", ""), action, org=org)
        return JsonResponse({"results": members}, json_dumps_params={"ensure_ascii": False})


class MyRecordView(LoginRequiredMixin, View):
    """党员本人: "my page" — the member record bound to the signed-in user."""

    def get(self, request):
        record = own_member_record(request.user)
        if record is None:
            raise Http404("您的账号未关联党员档案")
        return redirect("members:detail", pk=record.pk)


class MemberDetailView(ScopedMixin, DetailView):
    model = Member
    template_name = "members/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member, user = self.object, self.request.user
        scope = scope_of(user)
        context.update(
            status_events=member.status_events.order_by("-effective_on", "-id"),
            records=member.rewards_punishments.all(),
            positions=member.positions.all(),
            may_change=scope.allows(Action.CHANGE, member.org_path),
            may_reveal=scope.allows(Action.REVEAL, member.org_path),
            history=history_entries(member, user),
        )
        return context


class MemberCreateView(ServiceFormView):
    form_class = MemberForm
    template_name = "members/member_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_superuser or scope_of(request.user).paths_for(Action.CHANGE)
        ):
            raise Http404("您无权新增党员")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        org = self.request.GET.get("org", "")
        return {"organisation": org} if org.isdigit() else {}

    def perform(self, form):
        return services.create_member(
            actor=self.request.user, organisation=form.cleaned_data["organisation"], values=form.values()
        )

    def get_success_message(self, result) -> str:
        return f"已新增党员“{result.name}”"

    def get_success_redirect(self, result) -> str:
        return reverse("members:detail", kwargs={"pk": result.pk})


class MemberObjectFormView(ScopedMixin, ServiceFormView):
    """A form about one member the user may change; foreign or read-only members answer 404."""

    model = Member
    scope_action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"member": self.member}

    def get_success_redirect(self, result) -> str:
        return reverse("members:detail", kwargs={"pk": self.member.pk})


class MemberUpdateView(MemberObjectFormView):
    success_message = "已保存"
    form_class = MemberForm
    template_name = "members/member_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "editing": True}

    def get_initial(self):
        values = services.current_values(self.member)
        for secret in ("id_number", "phone", "family_contact_phone"):
            values.pop(secret)  # never put a clear number into the page
        return values

    def perform(self, form):
        services.update_member(actor=self.request.user, member=self.member, values=form.values())


class StatusEventView(MemberObjectFormView):
    success_message = "已记录状态变化"
    form_class = StatusEventForm
    template_name = "members/status_form.html"

    def perform(self, form):
        data = form.cleaned_data
        services.record_status_event(
            actor=self.request.user,
            member=self.member,
            status=data["status"],
            effective_on=data["effective_on"],
            reason=data["reason"],
        )


class RecordAddView(MemberObjectFormView):
    success_message = "已添加奖惩记录"
    form_class = RewardPunishmentForm
    template_name = "members/record_form.html"
    extra_context = {"heading": "添加奖惩记录"}

    def perform(self, form):
        services.add_reward_punishment(actor=self.request.user, member=self.member, **form.cleaned_data)


class PositionAddView(MemberObjectFormView):
    success_message = "已添加任职经历"
    form_class = PositionForm
    template_name = "members/record_form.html"
    extra_context = {"heading": "添加任职经历"}

    def perform(self, form):
        services.add_position(actor=self.request.user, member=self.member, **form.cleaned_data)


class RevealView(ScopedMixin, View):
    """POST only; returns an HTMX fragment with the full value.  The lookup comes first, so a
    foreign member is a 404 whatever the method."""

    model = Member
    scope_action = Action.REVEAL
    field = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        member = self.get_object()
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        reveal = services.reveal_id_number if self.field == "id_number" else services.reveal_phone
        value = reveal(actor=request.user, member=member)
        return render(
            request, "members/_revealed.html", {"value": value, "field": self.field, "member": member}
        )

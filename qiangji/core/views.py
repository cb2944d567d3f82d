"""The web shell: sign-in, home, password change and the audit log.

Base views: every object view reads through `.visible_to(user, action)`, so an id outside the
user's subtree is a 404 and nothing is changed.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableMixin

from qiangji.core import audit_labels, exporting, selectors, services, workbench
from qiangji.core.choices import Action
from qiangji.core.filters import AuditEntryFilter
from qiangji.core.forms import PasswordChangeForm, SignInForm
from qiangji.core.models import AuditEntry
from qiangji.core.scoping import org_in_scope
from qiangji.core.tables import EXPORT_HEADERS, AuditEntryTable, export_rows

LOCKED_OUT_DETAIL = "连续5次登录失败，账号已被临时锁定，请30分钟后再试或联系管理员。"


def is_htmx(request) -> bool:
    """The request came from an HTMX swap (answer with the fragment, not the whole page)."""
    return request.headers.get("HX-Request") == "true"


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message on its field where the form has that field,
    otherwise at the top of the form (a service names fields by the model's names)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def org_from_request(
    request, action: str = Action.VIEW, *, param: str = "org", default_to_scope: bool = False
):
    """The organisation named by `?<param>=<pk>` read through the user's scope (`core.scoping.org_in_scope`:
    404 outside it or for a malformed id); without the parameter None, or with `default_to_scope=True` the
    top of the user's scope for `action`."""
    return org_in_scope(request.user, request.GET.get(param), action, default_to_scope=default_to_scope)


class ScopedMixin(LoginRequiredMixin):
    """Apply the user's scope to `model` for `scope_action`; subclasses never build their own base queryset."""

    model = None
    scope_action = Action.VIEW

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.scope_action)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(pk=self.kwargs[getattr(self, "pk_url_kwarg", "pk")])
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404("未找到该记录，或您无权查看")


class ServiceFormView(LoginRequiredMixin, FormView):
    """GET shows the form; POST gives the valid form to `perform(form)` (one service call, which returns
    what it wrote or None).  A refusal goes back onto the form (`add_service_errors`); success is a message
    (`success_message`) and a redirect to `get_success_redirect(result)` (default `get_success_url()`).
    Combine with `ScopedMixin` for a form about one scoped object."""

    success_message = _("已保存。")

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return str(self.success_message)

    def get_success_redirect(self, result) -> str:
        return self.get_success_url()

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_redirect(result))


class SignInView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


def lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout answer (AXES_LOCKOUT_CALLABLE): JSON for the API, the Chinese page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": LOCKED_OUT_DETAIL}, status=429)
    return render(request, "core/locked_out.html", {"detail": LOCKED_OUT_DETAIL}, status=429)


class HomeView(LoginRequiredMixin, TemplateView):
    """My scope at a glance: the panels and to-dos the apps register in `core.workbench` (orgs: counts over
    the visible subtree, term and structure alerts), then the user's own member records."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(workbench.context_for(user))  # the apps' panels and to-dos (orgs: counts, alerts)
        context["own_members"] = user.member_records.select_related("organisation")
        from qiangji.core import navigation
        from qiangji.core.scoping import scope_of

        context["is_manager"] = navigation.is_manager(scope_of(user), user)  # counts, tree, roster links
        return context


class PasswordChangeView(LoginRequiredMixin, FormView):
    template_name = "core/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        services.change_password(actor=user, user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改。"))
        return redirect("home")


class AuditRequiredMixin(LoginRequiredMixin):
    """The log pages need the audit action somewhere; without it the page says so (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_audit(request.user):
            raise PermissionDenied(_("您没有查看审计日志的权限"))
        return super().dispatch(request, *args, **kwargs)


class AuditLogView(AuditRequiredMixin, SingleTableMixin, TemplateView):
    template_name = "core/audit_log.html"
    table_class = AuditEntryTable
    table_pagination = {"per_page": 50}

    def get_filterset(self):
        if not hasattr(self, "_filterset"):
            base = AuditEntry.objects.visible_to(self.request.user, Action.AUDIT)
            self._filterset = AuditEntryFilter(self.request.GET, queryset=base, request=self.request)
        return self._filterset

    def get_table_data(self):
        filterset = self.get_filterset()
        return filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.get_filterset()
        context["action_choices"] = audit_labels.choices_for_prefixes()
        context["query"] = self.request.GET.urlencode()
        return context


class AuditExportView(AuditLogView):
    """The filtered log as csv or xlsx (`?fmt=`), same filters and scope as the page."""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            raise Http404(_("不支持的导出格式"))
        filename = f"审计日志-{timezone.localdate():%Y%m%d}"
        return exporting.export_response(
            EXPORT_HEADERS, export_rows(self.get_table_data()), fmt=fmt, filename=filename
        )


class AuditDetailView(LoginRequiredMixin, TemplateView):
    """One entry with its before/after; another subtree's entry, or another member's, is a 404."""

    template_name = "core/audit_detail.html"

    def get_context_data(self, **kwargs):
        entry = selectors.entry_for(self.request.user, self.kwargs["pk"])
        if entry is None:
            raise Http404("未找到该记录，或您无权查看")
        return {**super().get_context_data(**kwargs), "entry": entry}

"""Pages of classes (班次): list with teaching sites, plan, quotas, enrolment, sessions with their QR
code, funding, 结业, and the learner's QR check-in (GET shows, POST checks in)."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.education import selectors, services
from qiangji.education.forms import ClassForm, EnrolForm, FundingForm, QuotaForm, SessionForm, SiteForm
from qiangji.education.models import Enrolment, TeachingSite, TrainingClass
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=True, border=2)


def _manager_or_404(user):
    if not (user.is_superuser or scope_of(user).paths_for(Action.CHANGE)):
        raise Http404("您的账号没有管理的党组织")


class ClassListView(ScopedMixin, TemplateView):
    template_name = "education/class_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "classes": selectors.classes_for(user)[:200],
            "sites": TeachingSite.objects.visible_to(user, Action.VIEW).order_by("org_path", "name")[:200],
            "may_create": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class _ManagerForm(ScopedMixin, ServiceFormView):
    template_name = "education/form.html"
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _manager_or_404(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title}


class SiteCreateView(_ManagerForm):
    form_class = SiteForm
    title = _("登记教学阵地")

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        return services.register_site(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:class-list")


class ClassCreateView(_ManagerForm):
    form_class = ClassForm
    title = _("计划培训班次")

    def get_form_kwargs(self):
        sites = TeachingSite.objects.visible_to(self.request.user, Action.VIEW).order_by("name")
        return super().get_form_kwargs() | {"sites": sites}

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        return services.plan_class(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:class-detail", args=[result.pk])


class ClassDetailView(ScopedMixin, TemplateView):
    template_name = "education/class_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        training_class = get_in_scope_or_404(TrainingClass, user, self.kwargs["pk"], Action.VIEW)
        sessions = []
        for session in training_class.sessions.all():
            url = (
                self.request.build_absolute_uri(reverse("education:class-checkin"))
                + "?t="
                + services.checkin_token(session)
            )
            sessions.append(
                {"session": session, "qr": _qr(url) if session.held_on == today() else "", "url": url}
            )
        theory, total = services.theory_share(training_class)
        return super().get_context_data(**kwargs) | {
            "object": training_class,
            "sessions": sessions,
            "quotas": training_class.quotas.select_related("organisation"),
            "enrolments": Enrolment.objects.visible_to(user, Action.VIEW)
            .filter(training_class=training_class)
            .select_related("member", "quota__organisation"),
            "funding": training_class.funding.all(),
            "theory_pct": round(100 * theory / total) if total else None,
            "total_hours": total / 2,
            "may_change": scope_of(user).allows(Action.CHANGE, training_class.org_path),
        }


class _ClassForm(ScopedMixin, ServiceFormView):
    template_name = "education/form.html"
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(TrainingClass, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.title, "object": self.object}

    def get_success_redirect(self, result) -> str:
        return reverse("education:class-detail", args=[self.object.pk])


class QuotaCreateView(_ClassForm):
    form_class = QuotaForm
    title = _("分配名额")

    def get_form_kwargs(self):
        orgs = Organisation.objects.visible_to(self.request.user, Action.VIEW).filter(
            path__startswith=self.object.org_path
        )
        return super().get_form_kwargs() | {"orgs": orgs.order_by("path")}

    def perform(self, form):
        return services.set_quota(actor=self.request.user, training_class=self.object, **form.cleaned_data)


class EnrolCreateView(_ClassForm):
    form_class = EnrolForm
    title = _("报名")

    def get_form_kwargs(self):
        members = Member.objects.visible_to(self.request.user, Action.CHANGE).filter(
            org_path__startswith=self.object.org_path, status__in=ON_ROLL
        )
        return super().get_form_kwargs() | {"members": members.order_by("org_path", "name")}

    def dispatch(self, request, *args, **kwargs):
        # Enrolment is done by the member's own organisation: the class only needs to be visible.
        if request.user.is_authenticated:
            self.object = get_in_scope_or_404(TrainingClass, request.user, kwargs["pk"], Action.VIEW)
        return ServiceFormView.dispatch(self, request, *args, **kwargs)

    def perform(self, form):
        return services.enrol(
            actor=self.request.user, training_class=self.object, member=form.cleaned_data["member"]
        )


class SessionCreateView(_ClassForm):
    form_class = SessionForm
    title = _("安排课次")

    def perform(self, form):
        return services.add_session(actor=self.request.user, training_class=self.object, **form.cleaned_data)


class FundingCreateView(_ClassForm):
    form_class = FundingForm
    title = _("登记培训经费")

    def perform(self, form):
        return services.record_funding(
            actor=self.request.user, training_class=self.object, **form.cleaned_data
        )


class ClassCompleteView(ScopedMixin, View):
    def post(self, request, pk):
        training_class = get_in_scope_or_404(TrainingClass, request.user, pk, Action.CHANGE)
        try:
            services.complete_class(actor=request.user, training_class=training_class)
            messages.success(request, _("班次已结业，学时已计入学员台账。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("education:class-detail", pk=training_class.pk)


class ClassCheckInView(ScopedMixin, TemplateView):
    """The QR code's page: GET shows one button (a link preview never checks anyone in), POST checks in."""

    template_name = "education/class_checkin.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"token": self.request.GET.get("t", "")[:500]}

    def post(self, request):
        try:
            attendance = services.check_in(actor=request.user, token=request.POST.get("t", ""))
            messages.success(request, _("签到成功：%(s)s") % {"s": attendance.session})
            return redirect("education:my-year")
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data()
                | {"token": request.POST.get("t", "")[:500], "error": " ".join(error.messages)}
            )

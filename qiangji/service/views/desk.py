"""Pages for the units and members: the desk's home (to-dos, figures, warnings), the request list and detail
with the actions of the ladder, the claim pools, intake on someone's behalf, the registries."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from qiangji.core import workdays
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ServiceFormView, add_service_errors
from qiangji.service import forms, selectors, services
from qiangji.service.filters import RequestFilter
from qiangji.service.models import Request
from qiangji.service.tables import RequestTable
from qiangji.service.views.base import StaffOnlyMixin, is_staff


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "service/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        end = today()
        start = end.replace(day=1)
        return super().get_context_data(**kwargs) | {
            "todos": selectors.todos(user),
            "staff": is_staff(user),
            "figures": selectors.figures(user, start=start, end=end) if is_staff(user) else None,
            "start": start,
            "end": end,
            "overdue": selectors.overdue(user)[:20],
            "unsatisfied_units": selectors.units_unsatisfied_twice(user) if is_staff(user) else [],
            "calendar_warning": workdays.calendar_warning(),
            "pool_count": selectors.member_pool(user).count(),
        }


class RequestListView(LoginRequiredMixin, TemplateView):
    template_name = "service/request_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filterset = RequestFilter(
            self.request.GET, queryset=selectors.requests_for(user), request=self.request
        )
        table = RequestTable(filterset.qs)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        return super().get_context_data(**kwargs) | {"filter": filterset, "table": table}


class RequestDetailView(LoginRequiredMixin, TemplateView):
    template_name = "service/request_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        req = get_in_scope_or_404(
            Request, user, self.kwargs["pk"], Action.VIEW, queryset=selectors.requests_for(user)
        )
        scope = scope_of(user)
        may_change = scope.allows(Action.CHANGE, req.current_path) or scope.allows(
            Action.CHANGE, req.org_path
        )
        claimed_by_me = bool(req.claimed_member_id and req.claimed_member_id in scope.member_ids)
        return super().get_context_data(**kwargs) | {
            "req": req,
            "events": selectors.history(req),
            "work": selectors.work_for(req),
            "may_change": may_change,
            "may_work": may_change or claimed_by_me,
            "level": selectors.warning_level(req),
            "duplicate": services.possible_duplicate(req) if req.status == "open" else None,
            "departments": selectors.departments_for(user),
            "claim_form": forms.ClaimForm(departments=list(selectors.departments_for(user)[:20])),
        }


class PoolView(LoginRequiredMixin, TemplateView):
    """Requests to claim: a member's community, a department's county pool."""

    template_name = "service/pool.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "member_pool": selectors.member_pool(user)[:100],
            "department_pool": selectors.department_pool(user)[:100],
            "departments": selectors.departments_for(user),
        }


class ActionView(ServiceFormView):
    """One action on one request: the service reads the request through the actor's scope (404 outside)."""

    template_name = "service/form.html"
    action = ""
    titles = {
        "claim": "认领诉求",
        "progress": "登记办理进展",
        "wait": "等待诉求人补充（暂停计时）",
        "resume": "诉求人已补充（恢复计时）",
        "answer": "答复诉求人",
        "whistle": "吹哨上报（本级无法解决）",
        "send-back": "派单错误，退回",
        "dispatch": "重新派单",
        "close": "办结诉求（工作人员）",
        "merge": "合并重复诉求",
    }

    def dispatch(self, request, *args, **kwargs):
        """Outside the user's reach (their scope, or for a claim their community's or department's pool)
        the page is a 404 for GET and POST alike."""
        user = request.user
        if user.is_authenticated:
            pk = kwargs["pk"]
            reachable = selectors.requests_for(user).filter(pk=pk).exists()
            if not reachable and kwargs["action"] == "claim":
                reachable = (
                    selectors.member_pool(user).filter(pk=pk).exists()
                    or selectors.department_pool(user).filter(pk=pk).exists()
                )
            if not reachable:
                raise Http404("未找到该记录，或您无权查看")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return {
            "claim": forms.ClaimForm,
            "progress": forms.TextForm,
            "wait": forms.TextForm,
            "resume": forms.TextForm,
            "answer": forms.TextForm,
            "whistle": forms.ReasonForm,
            "send-back": forms.ReasonForm,
            "dispatch": forms.DispatchForm,
            "close": forms.ReasonForm,
            "merge": forms.MergeForm,
        }[self.kwargs["action"]]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["action"] == "claim":
            kwargs["departments"] = list(selectors.departments_for(self.request.user)[:20])
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": self.titles.get(self.kwargs["action"], "")}

    def perform(self, form):
        user, pk, data = self.request.user, self.kwargs["pk"], form.cleaned_data
        name = self.kwargs["action"]
        if name == "claim":
            services.claim(
                actor=user, request=pk, note=data.get("note", ""), department=data.get("department")
            )
        elif name == "progress":
            services.record_progress(actor=user, request=pk, text=data["text"])
        elif name == "wait":
            services.wait_on_requester(actor=user, request=pk, text=data["text"])
        elif name == "resume":
            services.resume(actor=user, request=pk, text=data["text"])
        elif name == "answer":
            services.answer(actor=user, request=pk, text=data["text"])
        elif name == "whistle":
            services.whistle(actor=user, request=pk, reason=data["reason"])
        elif name == "send-back":
            services.send_back(actor=user, request=pk, reason=data["reason"])
        elif name == "dispatch":
            services.dispatch(actor=user, request=pk, to_org=data["to_org"])
        elif name == "close":
            services.close_by_staff(actor=user, request=pk, reason=data["reason"])
        elif name == "merge":
            into = selectors.request_by_number_in_scope(user, data["into"])
            if into is None:
                raise ValidationError({"into": "未找到该诉求编号，或不在您的管理范围内"})
            services.merge(actor=user, request=pk, into=into)
        return pk

    def get_success_message(self, result) -> str:
        return "已办理"

    def get_success_redirect(self, result) -> str:
        if Request.objects.visible_to(self.request.user).filter(pk=result).exists():
            return reverse("service:request-detail", args=[result])
        return reverse("service:home")


class BehalfView(ServiceFormView):
    """A member or secretary registers a request for a resident, rider or driver (no SMS code needed)."""

    template_name = "service/form.html"
    form_class = forms.BehalfForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"industries": selectors.industry_committees()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": "代为登记诉求"}

    def perform(self, form):
        data = form.cleaned_data
        created, _code = services.submit(
            actor=self.request.user,
            channel="behalf",
            category=data["category"],
            description=data["description"],
            phone=data["phone"],
            requester_name=data.get("requester_name", ""),
            audience=data["audience"],
            address=data.get("address", ""),
            place=data.get("place") or None,
            industry=data.get("industry") or None,
        )
        return created

    def get_success_message(self, result) -> str:
        return f"已登记，诉求编号{result.number}（查询码已短信发给诉求人）"

    def get_success_redirect(self, result) -> str:
        return reverse("service:request-detail", args=[result.pk])


class FiguresView(StaffOnlyMixin, LoginRequiredMixin, TemplateView):
    template_name = "service/figures.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        end = today()
        try:
            start = datetime.date.fromisoformat(self.request.GET.get("start", ""))
        except ValueError:
            start = end - datetime.timedelta(days=30)
        return super().get_context_data(**kwargs) | {
            "start": start,
            "end": end,
            "figures": selectors.figures(user, start=start, end=end),
            "units": selectors.figures_by_unit(user, start=start, end=end),
            "work": selectors.work_counts(user, start=start, end=end),
            "unsatisfied_units": selectors.units_unsatisfied_twice(user),
            "warnings": selectors.warning_counts(user),
            "now": timezone.now(),
        }


class RulesView(LoginRequiredMixin, TemplateView):
    template_name = "service/rules.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "categories": selectors.category_rows(),
            "rules": selectors.desk_rules(),
            "calendar_warning": workdays.calendar_warning(),
        }


class WorkdaysView(ServiceFormView):
    """工作日调整: the superuser enters holidays and make-up days the packaged calendar does not have."""

    template_name = "service/workdays.html"
    form_class = forms.WorkdayForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "overrides": selectors.workday_overrides()[:400] if self.request.user.is_superuser else [],
            "calendar_warning": workdays.calendar_warning(),
            "may_edit": self.request.user.is_superuser,
        }

    def perform(self, form):
        return workdays.set_override(actor=self.request.user, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("service:workdays")


class RegistryView(StaffOnlyMixin, LoginRequiredMixin, TemplateView):
    """Compounds/grids, stations and 由邻评事 results in the user's scope, with the two creation forms."""

    template_name = "service/registry.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "places": selectors.places_for(user)[:200],
            "stations": selectors.stations_for(user)[:200],
            "ratings": list(selectors.ratings_over_time(user)[:300]),
            "place_form": kwargs.get("place_form") or forms.PlaceForm(),
            "station_form": kwargs.get("station_form") or forms.StationForm(),
        }

    def post(self, request):
        which = request.POST.get("which")
        form = forms.StationForm(request.POST) if which == "station" else forms.PlaceForm(request.POST)
        if form.is_valid():
            try:
                if which == "station":
                    services.create_station(actor=request.user, **form.cleaned_data)
                else:
                    services.create_place(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "已登记")
                return redirect("service:registry")
        key = "station_form" if which == "station" else "place_form"
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)

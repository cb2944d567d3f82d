"""Pages of the lecturer pool (师资库): the pool with average ratings, registering a lecturer, bookings by
branches for theme days, recording the lecture, ratings by the branch's members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.education import selectors, services
from qiangji.education.forms import BookingForm, LecturerForm
from qiangji.education.models import Booking, Lecturer
from qiangji.education.views.classes import _ManagerForm
from qiangji.orgs.models import Organisation


class LecturerListView(ScopedMixin, TemplateView):
    template_name = "education/lecturer_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "lecturers": selectors.lecturers_with_ratings(user)[:300],
            "bookings": Booking.objects.visible_to(user, Action.VIEW).select_related(
                "lecturer", "organisation"
            )[:200],
            "my_bookings": selectors.bookings_to_rate(user),
            "may_create": user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)),
        }


class LecturerCreateView(_ManagerForm):
    form_class = LecturerForm
    title = _("登记师资")

    def perform(self, form):
        org = org_from_request(self.request, Action.CHANGE, default_to_scope=True)
        return services.register_lecturer(actor=self.request.user, organisation=org, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:lecturer-list")


class BookingCreateView(ScopedMixin, ServiceFormView):
    template_name = "education/form.html"
    form_class = BookingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.lecturer = get_in_scope_or_404(Lecturer, request.user, kwargs["pk"], Action.VIEW)
            if not scope_of(request.user).paths_for(Action.CHANGE) and not request.user.is_superuser:
                raise Http404("您的账号没有管理的党组织")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        orgs = Organisation.objects.visible_to(self.request.user, Action.CHANGE).filter(
            path__startswith=self.lecturer.org_path
        )
        return super().get_form_kwargs() | {"orgs": orgs.order_by("path")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("预约送学"), "object": self.lecturer}

    def perform(self, form):
        return services.book_lecturer(actor=self.request.user, lecturer=self.lecturer, **form.cleaned_data)

    def get_success_redirect(self, result) -> str:
        return reverse("education:lecturer-list")


class BookingDoneView(ScopedMixin, View):
    def post(self, request, pk):
        booking = get_in_scope_or_404(Booking, request.user, pk, Action.CHANGE)
        try:
            services.record_lecture(actor=request.user, booking=booking)
            messages.success(request, _("已登记授课。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("education:lecturer-list")


class BookingRateView(ScopedMixin, View):
    def post(self, request, pk):
        booking = selectors.rateable_bookings(request.user).filter(pk=pk).first()
        if booking is None:
            raise Http404("未找到该记录，或您无权查看")
        try:
            services.rate_lecture(actor=request.user, booking=booking, stars=request.POST.get("stars"))
            messages.success(request, _("感谢您的评价。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("education:lecturer-list")

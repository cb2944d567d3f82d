"""Pages for people without an account: the web form, one-tap help, the status page, confirmation,
由邻评事 and the station directory. Every write goes through a service; text is shown escaped."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qiangji.core.views import add_service_errors
from qiangji.service import forms, selectors, services
from qiangji.service.views.base import client_key


def _submit(request, form, channel: str, template: str, context: dict):
    if not form.is_valid():
        return render(request, template, context | {"form": form}, status=400)
    data = form.cleaned_data
    if "send_code" in request.POST:
        try:
            services.request_code(phone=data["phone"], client=client_key(request))
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, template, context | {"form": form}, status=400)
        return render(request, template, context | {"form": form, "code_sent": True})
    try:
        created, query_code = services.submit(
            actor=None,
            channel=channel,
            category=data["category"],
            description=data["description"],
            phone=data["phone"],
            code=data.get("code", ""),
            requester_name=data.get("requester_name", ""),
            audience=data["audience"],
            address=data.get("address", ""),
            place=data.get("place") or None,
            community=data.get("community") or None,
            industry=data.get("industry") or None,
            latitude=data.get("latitude") or None,
            longitude=data.get("longitude") or None,
            photo=request.FILES.get("photo"),
            client=client_key(request),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context | {"form": form}, status=400)
    return render(
        request,
        "service/submitted.html",
        {"created": created, "query_code": query_code, "link": services.status_link_token(created)},
    )


class SubmitView(View):
    """The public web form (no account): the phone is confirmed by an SMS code."""

    template = "service/public_form.html"

    def get(self, request):
        return render(request, self.template, {"form": forms.PublicRequestForm()})

    def post(self, request):
        form = forms.PublicRequestForm(request.POST, request.FILES)
        return _submit(request, form, "web", self.template, {})


class OneTapView(View):
    """一键求助 for riders and drivers: phone first, location from the phone, optional photo; the page keeps an
    unsent submission in localStorage and offers it again (slow or lost connections)."""

    template = "service/onetap.html"

    def _context(self, request):
        lat, lng = request.GET.get("lat"), request.GET.get("lng")
        try:
            stations = (
                selectors.stations_near(float(lat), float(lng)) if lat and lng else selectors.stations_near()
            )
        except ValueError:
            stations = selectors.stations_near()
        return {"stations": stations}

    def get(self, request):
        industries = selectors.industry_committees()
        return render(
            request, self.template, self._context(request) | {"form": forms.OneTapForm(industries=industries)}
        )

    def post(self, request):
        form = forms.OneTapForm(request.POST, request.FILES, industries=selectors.industry_committees())
        return _submit(request, form, "onetap", self.template, self._context(request))


class StatusView(View):
    """诉求查询 by number and query code (or follow the SMS link)."""

    def get(self, request):
        return render(request, "service/status_form.html", {"form": forms.StatusForm()})

    def post(self, request):
        form = forms.StatusForm(request.POST)
        found = None
        if form.is_valid():
            found = services.request_from_code(form.cleaned_data["number"], form.cleaned_data["code"])
            if found is None:
                form.add_error(None, "诉求编号或查询码不正确")
        if found is None:
            return render(request, "service/status_form.html", {"form": form}, status=400)
        return redirect("service:track", token=services.status_link_token(found))


class TrackView(View):
    """The requester's page from the signed link: the history in plain Chinese and, once answered, the
    one-tap confirmation."""

    def _found(self, token):
        found = services.request_from_link(token)
        if found is None:
            raise Http404("链接无效或已过期")
        return found

    def _render(self, request, found, form, status=200):
        return render(
            request,
            "service/track.html",
            {"req": found, "events": selectors.history(found), "form": form},
            status=status,
        )

    def get(self, request, token):
        found = self._found(token)
        return self._render(request, found, forms.ConfirmForm())

    def post(self, request, token):
        found = self._found(token)
        form = forms.ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.confirm(request=found, access_key=found.access_key, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "感谢您的评价")
                return redirect("service:track", token=token)
        return self._render(request, found, form, status=400)


class NeighbourRatingView(View):
    """由邻评事: residents rate their compound's property company and owners' committee."""

    def get(self, request):
        return render(request, "service/rate.html", {"form": forms.NeighbourRatingForm()})

    def post(self, request):
        form = forms.NeighbourRatingForm(request.POST)
        if form.is_valid():
            try:
                services.rate_neighbourhood(**form.cleaned_data, client=client_key(request))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "评价已提交，谢谢您")
                return redirect(reverse("service:rate"))
        return render(request, "service/rate.html", {"form": form}, status=400)


class StationDirectoryView(View):
    def get(self, request):
        return render(request, "service/stations.html", {"stations": selectors.stations_near(limit=200)})

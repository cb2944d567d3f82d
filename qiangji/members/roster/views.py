"""Pages for the roster import (upload, job progress with errors) and the member export."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import DetailView, FormView

from qiangji.core.exporting import FORMATS
from qiangji.core.jobs import progress_of
from qiangji.core.models import Job
from qiangji.core.views import ScopedMixin
from qiangji.members.filters import MemberFilter
from qiangji.members.models import Member
from qiangji.members.roster.exporting import HEADERS, export_members, record_export, template_response
from qiangji.members.roster.importing import can_import
from qiangji.members.roster.jobs import IMPORT_KIND
from qiangji.members.roster.uploads import ImportForm, start_import


class ImportNewView(LoginRequiredMixin, FormView):
    template_name = "members/import_new.html"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_import(request.user):
            raise PermissionDenied("您没有导入党员名册的权限")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        job = start_import(self.request.user, form.cleaned_data["file"])
        return redirect("imports:job", pk=job.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["headers"] = HEADERS
        context["recent_jobs"] = Job.objects.visible_to(self.request.user).filter(
            kind=IMPORT_KIND, created_by=self.request.user
        )[:5]
        return context


class JobView(ScopedMixin, DetailView):
    model = Job
    template_name = "members/import_job.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = progress_of(self.object)
        context["running"] = self.object.status in (Job.Status.QUEUED, Job.Status.RUNNING)
        return context


class JobProgressView(JobView):
    """The HTMX partial polled every second while the job runs."""

    template_name = "members/import_job_progress.html"


@login_required
def template_xlsx(request):
    return template_response(fmt="xlsx")


@login_required
def template_csv(request):
    return template_response(fmt="csv")


@login_required
def members_export(request):
    """Export the member list as filtered on the list page; ID numbers and phones masked."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    queryset = Member.objects.visible_to(request.user)
    members = MemberFilter(request.GET, queryset=queryset, request=request).qs
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "reason")}
    record_export(
        actor=request.user, members=members, fmt=fmt, filters=filters, reason=request.GET.get("reason", "")
    )
    return export_members(members, fmt=fmt)

"""Pages for the roster import (upload, job progress with errors) and the member export."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import DetailView, FormView

from qiangji.core.choices import Action
from qiangji.core.exporting import FORMATS
from qiangji.core.jobs import progress_of, start_job
from qiangji.core.models import Job
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.members.exporting import HEADERS, export_members, template_response
from qiangji.members.filters import MemberFilter
from qiangji.members.importing import can_import
from qiangji.members.jobs import IMPORT_KIND, import_roster_task
from qiangji.members.models import Member

# Files up to this size are imported during the request (a few thousand rows, a second or two);
# larger ones go to the background worker and the page shows the progress bar.
INLINE_MAX_BYTES = 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")


class ImportForm(forms.Form):
    file = forms.FileField(label="名册文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("名册文件：只支持 .xlsx、.xls 或 .csv 文件")
        if upload.size > settings.QIANGJI_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"名册文件：文件过大，单个文件不能超过 {settings.QIANGJI_IMPORT_MAX_BYTES // 1048576} MB")
        if upload.size == 0:
            raise forms.ValidationError("名册文件：文件为空")
        return upload


def save_upload(upload) -> Path:
    """Keep the upload where the worker can read it (var/imports, never served over HTTP)."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def start_import(user, upload) -> Job:
    """Shared by the page and the API: small files run now, large ones in the background."""
    path = save_upload(upload)
    roots = scope_of(user).paths_for(Action.IMPORT)
    return start_job(actor=user, kind=IMPORT_KIND, org_path=roots[0] if roots else "",
                     params={"path": str(path), "file_name": upload.name[:200]}, task=import_roster_task,
                     inline=upload.size <= INLINE_MAX_BYTES)


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
            kind=IMPORT_KIND, created_by=self.request.user)[:5]
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
    return export_members(members, fmt=fmt)

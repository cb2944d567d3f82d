"""The page of a background export (progress, then the file) and its download; only its creator sees them."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.generic import TemplateView, View

from qiangji.core import exporting, jobs
from qiangji.core.models import Job
from qiangji.core.scoping import NOT_FOUND


class ExportJobView(LoginRequiredMixin, TemplateView):
    template_name = "core/export_job.html"

    def get_context_data(self, **kwargs):
        job = exporting.export_job_for(self.request.user, self.kwargs["pk"])
        if job is None:
            raise Http404(NOT_FOUND)
        return super().get_context_data(
            job=job, progress=jobs.progress_of(job), done=job.status == Job.Status.SUCCEEDED, **kwargs
        )


class ExportFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = exporting.export_job_for(request.user, pk)
        if job is None or job.status != Job.Status.SUCCEEDED or not job.result.get("file"):
            raise Http404(NOT_FOUND)
        name = job.result["file"]
        content_type = exporting.CSV_CONTENT_TYPE if name.endswith(".csv") else exporting.XLSX_CONTENT_TYPE
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=job.result.get("filename") or name.rsplit("/", 1)[-1],
            content_type=content_type,
        )

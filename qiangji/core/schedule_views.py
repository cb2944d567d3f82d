"""`/jobs/schedule/`: the periodic jobs and the last run of each, for a superuser (the operator).

Anyone else gets a 404, like any record outside their scope (`ScheduledRun.objects.visible_to`).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from qiangji.core import schedule


class ScheduleView(LoginRequiredMixin, TemplateView):
    template_name = "core/schedule.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.is_superuser:
            raise Http404
        return {**super().get_context_data(**kwargs), "runs": schedule.last_runs(self.request.user)}

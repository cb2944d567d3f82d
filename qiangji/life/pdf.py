"""The printable page of the branch's work record book (支部工作记录本) for one meeting, via core.pdf."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views import View

from qiangji.life import rules
from qiangji.life.views.common import meeting_for


def record_context(meeting) -> dict:
    attendances = list(meeting.attendances.select_related("member", "home_organisation")
                       .order_by("is_guest", "member__name_pinyin", "id"))
    completions = {c.item_id: c for c in meeting.completions.all()}
    return {
        "meeting": meeting,
        "present": [a for a in attendances if a.status == "present" and not a.is_guest],
        "absent": [a for a in attendances if a.status != "present"],
        "guests": [a for a in attendances if a.is_guest and a.status == "present"],
        "checklist": [{"item": item, "completion": completions.get(item.pk)}
                      for item in rules.applicable_items(meeting)],
        "generated_at": timezone.localtime(),
    }


class MeetingPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from qiangji.core.pdf import (  # R2's module; imported late so routes never break
            pdf_response,
            render_pdf,
        )

        meeting = meeting_for(request.user, pk)
        data = render_pdf("life/pdf/meeting_record.html", record_context(meeting), request=request)
        day = meeting.held_on or meeting.planned_on
        return pdf_response(data, f"支部工作记录-{meeting.organisation.name}-{day or ''}-{meeting.pk}.pdf")

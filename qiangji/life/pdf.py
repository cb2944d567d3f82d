"""The printable page of the branch's work record book (支部工作记录本) for one meeting, via core.pdf."""

from django.utils import timezone

from qiangji.core.pdf import pdf_response, render_pdf
from qiangji.life import selectors
from qiangji.life.models import Meeting
from qiangji.life.selectors import meetings as reads
from qiangji.life.views.base import LifeView


def record_context(meeting) -> dict:
    attendances = reads.meeting_attendances(meeting)
    return {
        "meeting": meeting,
        "present": [a for a in attendances if a.status == "present" and not a.is_guest],
        "absent": [a for a in attendances if a.status != "present"],
        "guests": [a for a in attendances if a.is_guest and a.status == "present"],
        "checklist": reads.checklist_rows(meeting),
        "generated_at": timezone.localtime(),
    }


class MeetingPdfView(LifeView):
    model = Meeting

    def get(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk)
        data = render_pdf("life/pdf/meeting_record.html", record_context(meeting), request=request)
        day = meeting.held_on or meeting.planned_on
        return pdf_response(data, f"支部工作记录-{meeting.organisation.name}-{day or ''}-{meeting.pk}.pdf")

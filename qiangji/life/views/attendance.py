"""Attendance: the secretary's roster with one-tap toggles (HTMX), the QR code, and the member's check-in.

The check-in page opened by the QR code shows the meeting and one big button: checking in is a POST, so a
link preview or a prefetching browser can never sign anyone in.  `check_in` is idempotent (已签到).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.core.views import is_htmx
from qiangji.life import selectors, services
from qiangji.life.forms import ABSENT, LEAVE, PRESENT, AttendanceForm, CodeForm
from qiangji.life.models import CheckInCode, Meeting
from qiangji.life.selectors import meetings as reads
from qiangji.life.views.base import LifeView, error_text, form_errors, refuse
from qiangji.life.views.meetings import checkin_context


def toggle_state(attendance) -> str:
    if attendance is None:
        return ""
    if attendance.status == "present":
        return PRESENT
    return LEAVE if attendance.leave_approved else ABSENT


def roster(meeting) -> list[dict]:
    """Everyone due (branch members on the roll, or the committee) plus guests, with their current state."""
    members, rows, due = reads.roster_rows(meeting)
    result = [
        {"member": m, "attendance": rows.get(m.pk), "state": toggle_state(rows.get(m.pk))} for m in members
    ]
    result += [
        {"member": a.member, "attendance": a, "state": toggle_state(a), "guest": True}
        for a in rows.values()
        if a.member_id not in due
    ]
    return result


def tally(rows) -> dict:
    states = [row["state"] for row in rows if not row.get("guest")]
    return {
        "due": len(states),
        "present": states.count(PRESENT),
        "absent": states.count(ABSENT),
        "leave": states.count(LEAVE),
        "unmarked": states.count(""),
        "guests": sum(1 for row in rows if row.get("guest") and row["state"] == PRESENT),
    }


class RosterView(LifeView):
    """GET the roster; POST one member's state (the HTMX toggle answers with that row only)."""

    model = Meeting
    scope_action = Action.CHANGE

    template = "life/attendance.html"

    def get(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        rows = roster(meeting)
        return render(
            request,
            self.template,
            {
                "meeting": meeting,
                "rows": rows,
                "tally": tally(rows),
                "guest_options": reads.guest_options(
                    request.user, meeting, [row["member"].pk for row in rows]
                ),
            },
        )

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        form = AttendanceForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                services.record_attendance(
                    actor=request.user,
                    meeting=meeting,
                    member=form.cleaned_data["member"],
                    **form.service_kwargs(),
                )
            except ValidationError as refusal:
                error = error_text(refusal)
        else:
            error = form_errors(form)
        if not is_htmx(request) or form.cleaned_data.get("as_guest"):
            if error:
                messages.error(request, error)
            return redirect("life:attendance", pk=meeting.pk)
        return self.row(request, meeting, form, error)

    def row(self, request, meeting, form, error):
        member_pk = form.cleaned_data.get("member") if hasattr(form, "cleaned_data") else None
        rows = roster(meeting)
        row = next((r for r in rows if r["member"].pk == member_pk), None)
        if row is None:
            return render(request, "life/_message.html", {"error": error or "未找到该党员"}, status=400)
        return render(
            request,
            "life/_roster_row.html",
            {"meeting": meeting, "row": row, "error": error, "saved": not error, "oob_tally": tally(rows)},
            status=400 if error else 200,
        )


class CodeView(LifeView):
    """Issue a fresh QR code (the old one stays valid until it expires); HTMX gets the QR card back.
    GET is the card itself: the meeting page polls it, so the minutes left and an expiry show up live."""

    model = Meeting
    scope_action = Action.CHANGE

    def get(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        return render(request, "life/_qr.html", {"meeting": meeting, **checkin_context(request, meeting)})

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        form = CodeForm(request.POST)
        minutes = form.cleaned_data.get("minutes") if form.is_valid() else None
        try:
            services.issue_checkin_code(actor=request.user, meeting=meeting, minutes=minutes)
        except ValidationError as error:
            return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
        if is_htmx(request):
            return render(request, "life/_qr.html", {"meeting": meeting, **checkin_context(request, meeting)})
        return redirect("life:meeting-detail", pk=meeting.pk)


class CheckInView(LifeView):
    """The page a member's phone opens from the QR code (login first, then back here).  The valid token is
    the authority (no grant needed): the code is read by its token, never by a scoped id."""

    model = CheckInCode

    template = "life/checkin.html"

    def get(self, request, token):
        code = reads.code_by_token(token)
        meeting = code.meeting if code else None
        existing = None
        if meeting is not None:
            existing = reads.own_presence(meeting, request.user)
        if existing is not None:
            return self.result(request, "already", services.ALREADY, meeting, existing)
        if code is not None and code.expires_at <= timezone.now():  # say so before the tap, not after
            return self.result(
                request, "refused", "未能签到", None, None, detail=services.EXPIRED, status=400
            )
        return render(
            request,
            self.template,
            {"code": code, "meeting": meeting, "token": token},
            status=200 if code else 404,
        )

    def post(self, request, token):
        try:
            result = services.check_in(token=token, user=request.user)
        except ValidationError as error:
            return self.result(
                request, "refused", "未能签到", None, None, detail=error_text(error), status=400
            )
        outcome = "already" if result.already else "ok"
        return self.result(request, outcome, result.message, result.attendance.meeting, result.attendance)

    def result(self, request, outcome, heading, meeting, attendance, *, detail="", status=200):
        if attendance is not None and attendance.is_guest and not detail:
            detail = "您不是本支部党员，已登记为列席，并计入您所在支部的组织生活。"
        return render(
            request,
            "life/checkin_result.html",
            {
                "outcome": outcome,
                "heading": heading,
                "meeting": meeting,
                "detail": detail,
                "meeting_org_name": meeting.organisation.name if meeting else "",
                "checked_in_at": attendance.checked_in_at if attendance else None,
            },
            status=status,
        )

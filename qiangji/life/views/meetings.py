"""A meeting from schedule to approved record: the page, the phone record form, evidence, submit, review."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND, scope_of
from qiangji.core.selectors import history_for
from qiangji.core.views import add_service_errors
from qiangji.life import selectors, services
from qiangji.life.choices import AttachmentKind, MeetingStatus
from qiangji.life.forms import AttachmentForm, ChecklistForm, ReasonForm, RecordForm, ScheduleForm
from qiangji.life.models import Meeting, MeetingAttachment
from qiangji.life.selectors import meetings as reads
from qiangji.life.views.base import LifeView, form_errors, refuse


def qr_svg(url: str) -> str:
    """The QR code as inline SVG made on the server (segno): no script, no outside service."""
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=True, border=2)


def checkin_context(request, meeting) -> dict:
    code = reads.current_code(meeting)
    if code is None:
        return {"code": None}
    url = request.build_absolute_uri(reverse("life:checkin", kwargs={"token": code.token}))
    left = int((code.expires_at - timezone.now()).total_seconds() // 60)
    return {"code": code, "checkin_url": url, "qr": qr_svg(url), "minutes_left": max(left, 0)}


class MeetingNewView(LifeView):
    """Schedule a meeting of a branch (from the calendar or a plan item)."""

    scope_action = Action.CHANGE
    template = "life/meeting_new.html"

    def setup_branch(self, request, org_pk):
        self.branch = selectors.branch_for(request.user, org_pk, Action.CHANGE)

    def get(self, request, org_pk):
        self.setup_branch(request, org_pk)
        initial = {k: request.GET[k] for k in ("meeting_type", "planned_on", "title") if request.GET.get(k)}
        return self.render(request, ScheduleForm(initial=initial))

    def render(self, request, form, status=200):
        return render(request, self.template, {"form": form, "branch": self.branch}, status=status)

    def post(self, request, org_pk):
        self.setup_branch(request, org_pk)
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.schedule_meeting(
                    actor=request.user,
                    organisation=self.branch,
                    meeting_type=data["meeting_type"],
                    planned_on=data["planned_on"],
                    title=data["title"],
                    plan_item=self.plan_item(request),
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已安排“{meeting.title}”")
                return redirect("life:meeting-detail", pk=meeting.pk)
        return self.render(request, form, status=400)

    def plan_item(self, request):
        pk = request.GET.get("plan_item") or request.POST.get("plan_item")
        return selectors.schedulable_plan_item(request.user, self.branch, pk)


class MeetingDetailView(LifeView):
    model = Meeting

    def get(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk)
        attendances = reads.meeting_attendances(meeting)
        context = {
            "meeting": meeting,
            "attendances": attendances,
            "present": [a for a in attendances if a.status == "present"],
            "checklist": reads.checklist_rows(meeting),
            "attachments": reads.meeting_attachments(meeting),
            "may_change": selectors.may_change(request.user, meeting.org_path) and meeting.is_editable,
            "may_review": scope_of(request.user).allows_above(Action.CHANGE, meeting.org_path)
            and meeting.status == MeetingStatus.SUBMITTED,
            "own_attendance": next((a for a in attendances if a.member.user_id == request.user.pk), None),
            "history": history_for(meeting, request.user)[:30]
            if selectors.may_change(request.user, meeting.org_path)
            else None,
            "return_form": ReasonForm(),
        }
        if context["may_change"]:
            context.update(checkin_context(request, meeting))
        return render(request, "life/meeting_detail.html", context)


class MeetingRecordView(LifeView):
    """The fast phone form: record fields; a date held makes the record "held" (never in the future)."""

    model = Meeting
    scope_action = Action.CHANGE

    template = "life/meeting_record.html"

    def get(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        initial = {name: getattr(meeting, name) for name in (*RecordForm.FIELDS, "held_on")}
        if not initial["held_on"] and meeting.planned_on and meeting.planned_on <= today():
            initial["held_on"] = meeting.planned_on
        return render(request, self.template, {"meeting": meeting, "form": RecordForm(initial=initial)})

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                self.save(request, meeting, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "会议记录已保存")
                return redirect("life:meeting-detail", pk=meeting.pk)
        return render(request, self.template, {"meeting": meeting, "form": form}, status=400)

    def save(self, request, meeting, form):
        held_on = form.cleaned_data["held_on"]
        fields = form.service_fields()
        if held_on:
            services.record_held(actor=request.user, meeting=meeting, held_on=held_on, **fields)
        else:
            services.update_meeting(actor=request.user, meeting=meeting, **fields)


class ChecklistView(LifeView):
    """One activity done (with evidence: text and/or a photo taken on the phone) or not (with a reason)."""

    model = Meeting
    scope_action = Action.CHANGE

    def post(self, request, pk, item_pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        row = next((r for r in reads.checklist_rows(meeting) if r["item"].pk == item_pk), None)
        if row is None:
            raise Http404(NOT_FOUND)
        form = ChecklistForm(request.POST, request.FILES, prefix=f"item{item_pk}")
        if form.is_valid():
            try:
                self.save(request, meeting, row["item"], form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已登记“{row['item'].title}”")
                return redirect(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}) + "#checklist")
        messages.error(request, form_errors(form))
        return redirect(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}) + "#checklist")

    def save(self, request, meeting, item, data):
        with transaction.atomic():  # the photo and the completion stand or fall together
            attachment = None
            if data["photo"] and data["done"]:
                attachment = services.add_attachment(
                    actor=request.user,
                    meeting=meeting,
                    file=data["photo"],
                    kind=AttachmentKind.PHOTO,
                    caption=item.title,
                )
            services.complete_checklist_item(
                actor=request.user,
                meeting=meeting,
                item=item,
                done=data["done"],
                evidence=data["evidence"],
                attachment=attachment,
                skipped_reason=data["skipped_reason"],
            )


class AttachmentAddView(LifeView):
    model = Meeting
    scope_action = Action.CHANGE

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_attachment(
                    actor=request.user,
                    meeting=meeting,
                    file=data["file"],
                    kind=data["kind"],
                    caption=data["caption"],
                )
            except ValidationError as error:
                return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
            messages.success(request, "附件已上传")
        else:
            messages.error(request, form_errors(form))
        return redirect(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}) + "#attachments")


class AttachmentFileView(LifeView):
    """Files are served through the scope (never a public /media/ URL)."""

    model = MeetingAttachment

    def get(self, request, pk):
        attachment = selectors.attachment_for(request.user, pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404("文件不存在")
        name = attachment.file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=attachment.kind != AttachmentKind.PHOTO, filename=name)


class SubmitView(LifeView):
    model = Meeting
    scope_action = Action.CHANGE

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        try:
            services.submit_meeting(actor=request.user, meeting=meeting)
        except ValidationError as error:
            return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
        messages.success(request, "会议记录已报送上级党组织审核")
        return redirect("life:meeting-detail", pk=meeting.pk)


class ReviewView(LifeView):
    """The higher committee approves, or returns with a reason."""

    model = Meeting
    scope_action = Action.CHANGE

    def post(self, request, pk):
        meeting = selectors.meeting_for(request.user, pk, Action.CHANGE)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("decision") == "approve":
                services.approve_meeting(actor=request.user, meeting=meeting)
                messages.success(request, f"已审核通过“{meeting.title}”")
            else:
                services.return_meeting(
                    actor=request.user, meeting=meeting, reason=form.cleaned_data.get("reason", "")
                )
                messages.success(request, f"已退回“{meeting.title}”")
        except ValidationError as error:
            return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
        back = request.POST.get("next", "")
        if back.startswith("/life/") and "//" not in back:
            return redirect(back)
        return redirect("life:meeting-detail", pk=meeting.pk)

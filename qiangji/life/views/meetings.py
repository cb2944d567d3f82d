"""A meeting from schedule to approved record: the page, the phone record form, evidence, submit, review."""

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from qiangji.core.choices import Action
from qiangji.core.selectors import history_for
from qiangji.life import rules, services
from qiangji.life.choices import AttachmentKind, MeetingStatus
from qiangji.life.forms import AttachmentForm, ChecklistForm, ReasonForm, RecordForm, ScheduleForm
from qiangji.life.models import MeetingAttachment
from qiangji.life.views.common import (
    NOT_FOUND,
    add_service_errors,
    branch_for,
    is_higher,
    may_change,
    meeting_for,
    refuse,
)


def qr_svg(url: str) -> str:
    """The QR code as inline SVG made on the server (segno): no script, no outside service."""
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=True, border=2)


def current_code(meeting):
    return meeting.checkin_codes.filter(expires_at__gt=timezone.now()).order_by("-expires_at").first()


def checkin_context(request, meeting) -> dict:
    code = current_code(meeting)
    if code is None:
        return {"code": None}
    url = request.build_absolute_uri(reverse("life:checkin", kwargs={"token": code.token}))
    left = int((code.expires_at - timezone.now()).total_seconds() // 60)
    return {"code": code, "checkin_url": url, "qr": qr_svg(url), "minutes_left": max(left, 0)}


def checklist_rows(meeting) -> list[dict]:
    completions = {c.item_id: c for c in meeting.completions.select_related("attachment")}
    return [{"item": item, "completion": completions.get(item.pk)} for item in rules.applicable_items(meeting)]


class MeetingNewView(LoginRequiredMixin, View):
    """Schedule a meeting of a branch (from the calendar or a plan item)."""

    template = "life/meeting_new.html"

    def setup_branch(self, request, org_pk):
        self.branch = branch_for(request.user, org_pk, Action.CHANGE)

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
                    actor=request.user, organisation=self.branch, meeting_type=data["meeting_type"],
                    planned_on=data["planned_on"], title=data["title"], plan_item=self.plan_item(request),
                    **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已安排“{meeting.title}”")
                return redirect("life:meeting-detail", pk=meeting.pk)
        return self.render(request, form, status=400)

    def plan_item(self, request):
        from qiangji.life.models import PlanItem

        pk = request.GET.get("plan_item") or request.POST.get("plan_item")
        if not (pk and str(pk).isdigit()):
            return None
        return PlanItem.objects.visible_to(request.user, Action.CHANGE).filter(pk=pk, org_path=self.branch.path).first()


class MeetingDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        meeting = meeting_for(request.user, pk)
        attendances = list(meeting.attendances.select_related("member", "home_organisation")
                           .order_by("is_guest", "member__name_pinyin", "id"))
        context = {
            "meeting": meeting, "attendances": attendances,
            "present": [a for a in attendances if a.status == "present"],
            "checklist": checklist_rows(meeting),
            "attachments": list(meeting.attachments.all()),
            "may_change": may_change(request.user, meeting.org_path) and meeting.is_editable,
            "may_review": is_higher(request.user, meeting.org_path) and meeting.status == MeetingStatus.SUBMITTED,
            "own_attendance": next((a for a in attendances if a.member.user_id == request.user.pk), None),
            "history": history_for(meeting, request.user)[:30] if may_change(request.user, meeting.org_path)
            else None,
            "return_form": ReasonForm(),
        }
        if context["may_change"]:
            context.update(checkin_context(request, meeting))
        return render(request, "life/meeting_detail.html", context)


class MeetingRecordView(LoginRequiredMixin, View):
    """The fast phone form: record fields; a date held makes the record "held" (never in the future)."""

    template = "life/meeting_record.html"

    def get(self, request, pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
        initial = {name: getattr(meeting, name) for name in (*RecordForm.FIELDS, "held_on")}
        if not initial["held_on"] and meeting.planned_on and meeting.planned_on <= services.today():
            initial["held_on"] = meeting.planned_on
        return render(request, self.template, {"meeting": meeting, "form": RecordForm(initial=initial)})

    def post(self, request, pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
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


class ChecklistView(LoginRequiredMixin, View):
    """One activity done (with evidence: text and/or a photo taken on the phone) or not (with a reason)."""

    def post(self, request, pk, item_pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
        row = next((r for r in checklist_rows(meeting) if r["item"].pk == item_pk), None)
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
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}) + "#checklist")

    def save(self, request, meeting, item, data):
        from django.db import transaction

        with transaction.atomic():  # the photo and the completion stand or fall together
            attachment = None
            if data["photo"] and data["done"]:
                attachment = services.add_attachment(actor=request.user, meeting=meeting, file=data["photo"],
                                                     kind=AttachmentKind.PHOTO, caption=item.title)
            services.complete_checklist_item(actor=request.user, meeting=meeting, item=item, done=data["done"],
                                             evidence=data["evidence"], attachment=attachment,
                                             skipped_reason=data["skipped_reason"])


class AttachmentAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_attachment(actor=request.user, meeting=meeting, file=data["file"], kind=data["kind"],
                                        caption=data["caption"])
            except ValidationError as error:
                return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
            messages.success(request, "附件已上传")
        else:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}) + "#attachments")


class AttachmentFileView(LoginRequiredMixin, View):
    """Files are served through the scope (never a public /media/ URL)."""

    def get(self, request, pk):
        attachment = MeetingAttachment.objects.visible_to(request.user).filter(pk=pk).first()
        if attachment is None:
            from qiangji.life.models import Meeting

            # A member may see the attachments of their own branch's meetings.
            visible = Meeting.objects.visible_to(request.user).values("pk")
            attachment = MeetingAttachment.objects.filter(pk=pk, meeting__in=visible).first()
        if attachment is None:
            raise Http404(NOT_FOUND)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404("文件不存在")
        name = attachment.file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=attachment.kind != AttachmentKind.PHOTO, filename=name)


class SubmitView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
        try:
            services.submit_meeting(actor=request.user, meeting=meeting)
        except ValidationError as error:
            return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
        messages.success(request, "会议记录已报送上级党组织审核")
        return redirect("life:meeting-detail", pk=meeting.pk)


class ReviewView(LoginRequiredMixin, View):
    """The higher committee approves, or returns with a reason."""

    def post(self, request, pk):
        meeting = meeting_for(request.user, pk, Action.CHANGE)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("decision") == "approve":
                services.approve_meeting(actor=request.user, meeting=meeting)
                messages.success(request, f"已审核通过“{meeting.title}”")
            else:
                services.return_meeting(actor=request.user, meeting=meeting,
                                        reason=form.cleaned_data.get("reason", ""))
                messages.success(request, f"已退回“{meeting.title}”")
        except ValidationError as error:
            return refuse(request, error, "life:meeting-detail", pk=meeting.pk)
        back = request.POST.get("next", "")
        if back.startswith("/life/") and "//" not in back:
            return redirect(back)
        return redirect("life:meeting-detail", pk=meeting.pk)

"""Recording a step (or a notice, objection, sign-off, upload, override) from a phone.

`/recruitment/cases/<pk>/step/` shows the form of the case's next step; `?step=N` another step that may
be recorded now (repeatable ones, steps done in any order); `?form=notice|objection|resolve|signoff|
document` the other records.  Each form posts to the engine's service; a `RuleViolation` is shown as
a clear error with the rule id, a ValidationError on its field, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND
from qiangji.recruitment.choices import STEP_NAMES, ProbationOutcome, SignOffLevel
from qiangji.recruitment.forms import steps as f
from qiangji.recruitment.selectors.cases import case_for, case_notice, case_objection
from qiangji.recruitment.selectors.state import step_state
from qiangji.recruitment.services import cases as case_services
from qiangji.recruitment.services import forms as form_services
from qiangji.recruitment.services import meetings, notices, signoffs, steps
from qiangji.recruitment.views.base import ServiceFormView


def _signoff(level):
    return lambda actor, case, d: signoffs.record_signoff(actor=actor, case=case, level=level, **d)


def _filing(step):
    return lambda actor, case, d: steps.record_filing(actor=actor, case=case, step=step, **d)


def _confirmation(actor, case, d, form):
    outcome, months, reason = d.pop("outcome"), d.pop("months"), d.pop("reason")
    values = form.ballot_values()
    if outcome == ProbationOutcome.EXTENDED:
        return meetings.extend_probation(actor=actor, case=case, months=months, reason=reason, **values)
    if outcome == ProbationOutcome.CANCELLED:
        return meetings.cancel_probation(actor=actor, case=case, reason=reason, **values)
    return meetings.confirm(actor=actor, case=case, **values)


def _training(actor, case, d):
    d["days"], d["hours"] = d.get("days") or 0, d.get("hours") or 0
    return steps.record_training(actor=actor, case=case, **d)


def _members(service, **extra):
    def call(actor, case, d):
        members = list(d.pop("members"))
        role = d.pop("role", None)
        if role:
            extra["roles"] = [role] * len(members)
        return service(actor=actor, case=case, members=members, **extra, **d)

    return call


# step → (form class, call(actor, case, cleaned data))
STEP_FORMS = {
    2: (f.TalkForm, lambda a, c, d: steps.record_talk(actor=a, case=c, **d)),
    3: (f.BasisForm, lambda a, c, d: steps.designate_activist(actor=a, case=c, **d)),
    4: (f.NoteForm, _filing(4)),
    5: (f.MentorsForm, _members(steps.assign_mentors)),
    6: (f.AssessmentForm, lambda a, c, d: steps.record_assessment(actor=a, case=c, **d)),
    7: (f.BasisForm, lambda a, c, d: steps.designate_target(actor=a, case=c, **d)),
    8: (f.NoteForm, _filing(8)),
    9: (f.PeopleForm, _members(steps.name_sponsors)),
    10: (f.VettingForm, lambda a, c, d: steps.record_vetting(actor=a, case=c, **d)),
    11: (f.TrainingForm, _training),
    12: (f.SignOffForm, _signoff(SignOffLevel.BRANCH_COMMITTEE)),
    13: (f.SignOffForm, _signoff(SignOffLevel.PRE_REVIEW)),
    14: (f.AdmissionFormIssueForm, lambda a, c, d: meetings.issue_admission_form(actor=a, case=c, **d)),
    15: (f.AdmissionMeetingForm, "meeting"),
    16: (f.NoteForm, _filing(16)),
    17: (f.SignOffForm, _signoff(SignOffLevel.APPROVAL)),
    18: (f.NoteForm, _filing(18)),
    19: (f.NoteForm, _filing(19)),
    20: (f.OathForm, lambda a, c, d: meetings.administer_oath(actor=a, case=c, **d)),
    21: (f.NoteForm, _filing(21)),
    22: (f.NoteForm, lambda a, c, d: meetings.apply_for_confirmation(actor=a, case=c, **d)),
    23: (f.ConfirmationMeetingForm, "confirmation"),
    24: (f.SignOffForm, _signoff(SignOffLevel.CONFIRMATION_APPROVAL)),
    25: (
        f.ArchiveForm,
        lambda a, c, d: case_services.archive_case(
            actor=a, case=c, archived_on=d["date"], allow_missing=d["allow_missing"]
        ),
    ),
}


# steps whose call needs the bound form (the attendance list of a branch meeting)
FORM_CALLS = {
    "meeting": lambda a, c, d, form: meetings.hold_branch_meeting(actor=a, case=c, **form.ballot_values()),
    "confirmation": _confirmation,
}


def _objection(case, user, pk, *, resolved: bool):
    return case_objection(user, case, pk, resolved=resolved)


def _notice(case, user, pk):
    return case_notice(user, case, pk)


def _upload(actor, case, d):
    add_document = getattr(case_services, "add_document", None)
    if add_document is None:
        raise ValidationError({"file": "文件：上传服务尚未启用"})
    return add_document(actor=actor, case=case, **d)


# ?form= → (title, form class, call(view, actor, case, cleaned data))
EXTRA_FORMS = {
    "notice": ("发布公示", f.NoticeForm, lambda v, a, c, d: notices.publish_notice(actor=a, case=c, **d)),
    "objection": (
        "登记公示期间反映的问题",
        f.ObjectionForm,
        lambda v, a, c, d: notices.record_objection(
            actor=a, notice=_notice(c, a, v.request.GET.get("notice")), **d
        ),
    ),
    "resolve": (
        "处理反映的问题",
        f.ResolveForm,
        lambda v, a, c, d: notices.resolve_objection(
            actor=a, objection=_objection(c, a, v.request.GET.get("objection"), resolved=False), **d
        ),
    ),
    "signoff": (
        "审查审批签署",
        f.GenericSignOffForm,
        lambda v, a, c, d: signoffs.record_signoff(actor=a, case=c, **d),
    ),
    "document": ("上传材料", f.DocumentForm, lambda v, a, c, d: _upload(a, c, d)),
}


class StepView(ServiceFormView):
    """The case read through the CHANGE scope (`case_for`: 404 outside it) before any form is shown."""

    template_name = "recruitment/step_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = case_for(request.user, kwargs["pk"], Action.CHANGE)
        self.title, self.form_class, self.call = self._choose(request)
        return super().dispatch(request, *args, **kwargs)

    def _choose(self, request):
        extra = request.GET.get("form")
        if extra:
            if extra not in EXTRA_FORMS:
                raise Http404(NOT_FOUND)
            title, form_class, call = EXTRA_FORMS[extra]
            if extra == "objection":  # the notice or objection must exist before a form is shown
                _notice(self.case, request.user, request.GET.get("notice"))
            elif extra == "resolve":
                _objection(self.case, request.user, request.GET.get("objection"), resolved=False)
            return title, form_class, lambda a, c, d: call(self, a, c, d)
        try:
            step = int(request.GET.get("step") or self.case.next_step or 0)
        except ValueError:
            raise Http404(NOT_FOUND)
        if step not in STEP_FORMS:
            raise Http404(NOT_FOUND)
        form_class, call = STEP_FORMS[step]
        self.step = step
        if call in FORM_CALLS:  # the branch meetings read the attendance list off the form itself
            call = FORM_CALLS[call]
        return f"第{step}步 {STEP_NAMES[step]}", form_class, call

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case, "user": self.request.user}

    def get_context_data(self, **kwargs):
        steps_now = [(n, STEP_NAMES[n]) for n in STEP_FORMS if n <= (self.case.next_step or 25)]
        step = getattr(self, "step", None)
        help_text = form_services.form_sources(self.case) if step == 14 else ""
        # The same computation as the gates, the case page and the due list (selectors.state.step_state).
        rule_state = step_state(self.case, step, today()) if step else None
        return {
            **super().get_context_data(**kwargs),
            "case": self.case,
            "title": self.title,
            "help": help_text,
            "rule_state": rule_state,
            "more": self.request.GET.get("more") == "1",
            "steps_now": steps_now,
            "extra_forms": [(key, value[0]) for key, value in EXTRA_FORMS.items()],
        }

    def perform(self, form):
        if getattr(form, "ballot_values", None):
            return self.call(self.request.user, self.case, dict(form.cleaned_data), form)
        return self.call(self.request.user, self.case, dict(form.cleaned_data))

    def get_success_message(self, result) -> str:
        return f"已保存：{self.title}。"

    def get_success_redirect(self, result) -> str:
        return reverse("recruitment:case", kwargs={"pk": self.case.pk})


class OverrideView(StepView):
    """A discretionary gate let through once, with a written reason (committee level; audited)."""

    def _choose(self, request):
        return (
            "关卡特批",
            f.OverrideForm,
            lambda a, c, d: case_services.record_gate_override(actor=a, case=c, **d),
        )

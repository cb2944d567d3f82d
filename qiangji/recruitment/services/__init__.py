"""Writes of the development pipeline: one function a domain action, `@transaction.atomic`, the case
row locked (`select_for_update`) through the actor's CHANGE scope, gates checked, one audit entry.

A gate violation raises `qiangji.recruitment.rules.RuleViolation(rule="<set>:<rule id>", detail=...)`;
bad input raises Django `ValidationError` (field → Chinese message); a case outside the actor's
subtree raises `Http404`.  Alerts (late but allowed) are stored in `StepRecord.fields["alerts"]`.

Names for views, the API and jobs:
- cases: submit_application, add_document, transfer_case, record_gate_override, set_rule_override, archive_case,
  archive_checklist
- steps 2–11: record_talk, designate_activist, record_filing (4, 8, 16, 18, 19, 21), assign_mentors,
  record_assessment, designate_target, name_sponsors, record_vetting, record_training
- sign-offs: record_signoff (levels in choices.SignOffLevel: branch_committee=12, pre_review=13,
  consent (before 7), approval=17, filing=18, confirmation_approval=24), approve_admission
- notices: publish_notice, record_objection, resolve_objection
- meetings and probation: issue_admission_form, add_form_range, hold_branch_meeting, administer_oath,
  apply_for_confirmation, confirm, extend_probation, cancel_probation
- plans: save_plan
- dispatcher: record_step(actor=, case=, step_code=, date=, fields=) (codes in dispatch.SERVICES)
"""

from qiangji.recruitment.services.cases import (
    add_document,
    archive_case,
    archive_checklist,
    record_gate_override,
    set_rule_override,
    submit_application,
    transfer_case,
)
from qiangji.recruitment.services.dispatch import CODES, record_step
from qiangji.recruitment.services.forms import add_form_range, save_plan
from qiangji.recruitment.services.meetings import (
    Ballot,
    administer_oath,
    apply_for_confirmation,
    cancel_probation,
    confirm,
    extend_probation,
    hold_branch_meeting,
    issue_admission_form,
)
from qiangji.recruitment.services.notices import publish_notice, record_objection, resolve_objection
from qiangji.recruitment.services.signoffs import approve_admission, cannot_approve, record_signoff
from qiangji.recruitment.services.steps import (
    assign_mentors,
    designate_activist,
    designate_target,
    name_sponsors,
    record_assessment,
    record_filing,
    record_talk,
    record_training,
    record_vetting,
)

__all__ = [
    "CODES",
    "Ballot",
    "add_document",
    "add_form_range",
    "administer_oath",
    "apply_for_confirmation",
    "approve_admission",
    "archive_case",
    "archive_checklist",
    "assign_mentors",
    "cancel_probation",
    "cannot_approve",
    "confirm",
    "designate_activist",
    "designate_target",
    "extend_probation",
    "hold_branch_meeting",
    "issue_admission_form",
    "name_sponsors",
    "publish_notice",
    "record_assessment",
    "record_filing",
    "record_gate_override",
    "record_objection",
    "record_signoff",
    "record_step",
    "record_talk",
    "record_training",
    "record_vetting",
    "resolve_objection",
    "save_plan",
    "set_rule_override",
    "submit_application",
    "transfer_case",
]

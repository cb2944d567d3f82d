"""Writes of organisational life: one function a domain action, one transaction, one audit entry.

Views, the API and jobs import from here.  See each module's docstring for the rule it enforces.
"""

from qiangji.core.dates import add_months, today  # the kernel's, re-exported for callers of life.services
from qiangji.life.services.appraisal import (
    grade_member,
    open_appraisal,
    set_appraisal_stage,
    vote_counts,
    write_appraisal,
)
from qiangji.life.services.attendance import (
    OUTSIDER,
    add_attachment,
    complete_checklist_item,
    grant_exemption,
    record_attendance,
    remove_attendance,
)
from qiangji.life.services.base import ACTION_LABELS
from qiangji.life.services.checkin import ALREADY, EXPIRED, CheckInResult, check_in, issue_checkin_code
from qiangji.life.services.meetings import (
    NOT_YET_HELD,
    approve_meeting,
    record_held,
    return_meeting,
    schedule_meeting,
    submit_meeting,
    update_meeting,
)
from qiangji.life.services.plans import (
    add_checklist_item,
    add_plan_item,
    drop_plan_item,
    make_plan,
    push_theme,
)
from qiangji.life.services.rules import set_rule_override

__all__ = [
    "ACTION_LABELS",
    "ALREADY",
    "EXPIRED",
    "NOT_YET_HELD",
    "OUTSIDER",
    "CheckInResult",
    "add_attachment",
    "add_checklist_item",
    "add_months",
    "add_plan_item",
    "approve_meeting",
    "check_in",
    "complete_checklist_item",
    "drop_plan_item",
    "grade_member",
    "grant_exemption",
    "issue_checkin_code",
    "make_plan",
    "open_appraisal",
    "push_theme",
    "record_attendance",
    "record_held",
    "remove_attendance",
    "return_meeting",
    "schedule_meeting",
    "set_appraisal_stage",
    "set_rule_override",
    "submit_meeting",
    "today",
    "update_meeting",
    "vote_counts",
    "write_appraisal",
]

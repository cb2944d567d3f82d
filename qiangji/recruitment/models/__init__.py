"""Models of the development pipeline (发展党员, 《中国共产党发展党员工作细则》; docs/rules.md §1).  Names for other code:

- Rules as data: `Rule` (rule_set, code, step, reference_step, minimum/maximum, unit, kind, mark,
  enabled, source, valid_from/valid_to), `RuleOverride` (a region's stricter value, audited).
- The case: `Case` (applicant items encrypted like `members.Member`; `status`, `stage`, `step` = last
  step done; one date column per reference step, see `choices.REFERENCE_FIELDS`; `member` once
  admitted; `dues_start_month`), `CaseTransfer`, `StepRecord` (step, occurred_on, outcome, actors,
  fields JSON, rule_set, overridden, provisional), `StepDocument` (uploads, `kind` in DocumentKind).
- Actors and decisions: `Mentor`, `Sponsor`, `Vetting`, `TrainingRecord`, `SignOff` (level, outcome),
  `GateOverride`, `ProbationDecision`.
- Notices and meetings: `PublicNotice` + `Objection`; `BranchMeeting` + `MeetingVote`.
- Forms, plans, audits: `AdmissionFormRange` + `AdmissionForm` (志愿书编号), `DevelopmentPlan`,
  `FileAudit` + `FileAuditSample` + `FileAuditFinding`.

Every model but `Rule` carries `org_path` and a `ScopedQuerySet` manager (`.visible_to(user)`).
"""

from qiangji.recruitment.models.cases import Case, CaseTransfer, StepDocument, StepRecord
from qiangji.recruitment.models.notices import BranchMeeting, MeetingVote, Objection, PublicNotice
from qiangji.recruitment.models.plans import (
    AdmissionForm,
    AdmissionFormRange,
    DevelopmentPlan,
    FileAudit,
    FileAuditFinding,
    FileAuditSample,
)
from qiangji.recruitment.models.records import (
    GateOverride,
    Mentor,
    ProbationDecision,
    SignOff,
    Sponsor,
    TrainingRecord,
    Vetting,
)
from qiangji.recruitment.models.rulebook import Rule, RuleOverride

__all__ = [
    "AdmissionForm",
    "AdmissionFormRange",
    "BranchMeeting",
    "Case",
    "CaseTransfer",
    "DevelopmentPlan",
    "FileAudit",
    "FileAuditFinding",
    "FileAuditSample",
    "GateOverride",
    "MeetingVote",
    "Mentor",
    "Objection",
    "ProbationDecision",
    "PublicNotice",
    "Rule",
    "RuleOverride",
    "SignOff",
    "Sponsor",
    "StepDocument",
    "StepRecord",
    "TrainingRecord",
    "Vetting",
]

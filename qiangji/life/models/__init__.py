"""Models of organisational life (组织生活); see docs/architecture.md "life"."""

from qiangji.life.models.appraisal import AppraisalGrade, AppraisalRound, AppraisalVote
from qiangji.life.models.meetings import (
    Attendance,
    CheckInCode,
    ChecklistCompletion,
    Meeting,
    MeetingAttachment,
    MeetingExemption,
)
from qiangji.life.models.plans import ChecklistItem, MonthlyTheme, PlanItem, YearPlan
from qiangji.life.models.rollups import BranchLifeYear, MemberLife
from qiangji.life.models.rules import MeetingRuleOverride, MeetingType

__all__ = [
    "AppraisalGrade",
    "AppraisalRound",
    "AppraisalVote",
    "Attendance",
    "BranchLifeYear",
    "CheckInCode",
    "ChecklistCompletion",
    "ChecklistItem",
    "Meeting",
    "MeetingAttachment",
    "MeetingExemption",
    "MeetingRuleOverride",
    "MeetingType",
    "MemberLife",
    "MonthlyTheme",
    "PlanItem",
    "YearPlan",
]

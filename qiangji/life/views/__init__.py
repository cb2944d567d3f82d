"""HTML views of organisational life, one module a page group (see each module's docstring)."""

from qiangji.life.views.appraisal import (
    AppraisalDetailView,
    AppraisalGradeView,
    AppraisalOpenView,
    AppraisalStageView,
    AppraisalWriteView,
)
from qiangji.life.views.attendance import CheckInView, CodeView, RosterView
from qiangji.life.views.branch import CalendarView, HomeView, PlanDetailView, PlanItemDropView, PlanMakeView
from qiangji.life.views.committee import (
    CommitteeView,
    ExemptionView,
    PlanListView,
    ReviewListView,
    ThemeDetailView,
    ThemePushView,
)
from qiangji.life.views.compliance import (
    AttendanceExportView,
    ComplianceExportView,
    ComplianceView,
    LapsedView,
    MemberLifeView,
)
from qiangji.life.views.meetings import (
    AttachmentAddView,
    AttachmentFileView,
    ChecklistView,
    MeetingDetailView,
    MeetingNewView,
    MeetingRecordView,
    ReviewView,
    SubmitView,
)

__all__ = [
    "AppraisalDetailView",
    "AppraisalGradeView",
    "AppraisalOpenView",
    "AppraisalStageView",
    "AppraisalWriteView",
    "AttachmentAddView",
    "AttachmentFileView",
    "AttendanceExportView",
    "CalendarView",
    "CheckInView",
    "ChecklistView",
    "CodeView",
    "CommitteeView",
    "ComplianceExportView",
    "ComplianceView",
    "ExemptionView",
    "HomeView",
    "LapsedView",
    "MeetingDetailView",
    "MeetingNewView",
    "MeetingRecordView",
    "MemberLifeView",
    "PlanDetailView",
    "PlanItemDropView",
    "PlanListView",
    "PlanMakeView",
    "ReviewListView",
    "ReviewView",
    "RosterView",
    "SubmitView",
    "ThemeDetailView",
    "ThemePushView",
]

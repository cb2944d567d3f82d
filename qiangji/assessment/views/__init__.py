"""Pages of the assessment app."""

from qiangji.assessment.views.accountability import AccountabilityListView, DecideView, GatherView
from qiangji.assessment.views.ratings import RatingDetailView, RatingStepView
from qiangji.assessment.views.recognition import (
    NominateView,
    NominationDetailView,
    NominationListView,
    NominationStepView,
)
from qiangji.assessment.views.reports import (
    FollowUpAddView,
    FollowUpCloseView,
    ReportDetailView,
    ReportGradeView,
    ReportListView,
    ReportReviewView,
    ReportSubmitView,
)
from qiangji.assessment.views.scores import (
    AdjustmentView,
    LineDetailView,
    ManualScoreView,
    ScoreDetailView,
    SelfAssessView,
)
from qiangji.assessment.views.sets import (
    ExampleSetCreateView,
    HomeView,
    RunComputeView,
    RunDetailView,
    RunPublishView,
    SetDetailView,
)
from qiangji.assessment.views.weak import (
    FlagDetailView,
    PlanDetailView,
    PlanEditView,
    PlanEvidenceView,
    PlanSignOffView,
    WeakDetectView,
    WeakListView,
    WeakSeedView,
)

__all__ = [
    "NominateView",
    "NominationDetailView",
    "NominationListView",
    "NominationStepView",
    "AccountabilityListView",
    "DecideView",
    "GatherView",
    "FollowUpAddView",
    "FollowUpCloseView",
    "ReportDetailView",
    "ReportGradeView",
    "ReportListView",
    "ReportReviewView",
    "ReportSubmitView",
    "FlagDetailView",
    "PlanDetailView",
    "PlanEditView",
    "PlanEvidenceView",
    "PlanSignOffView",
    "WeakDetectView",
    "WeakListView",
    "WeakSeedView",
    "AdjustmentView",
    "ExampleSetCreateView",
    "HomeView",
    "LineDetailView",
    "ManualScoreView",
    "RatingDetailView",
    "RatingStepView",
    "RunComputeView",
    "RunDetailView",
    "RunPublishView",
    "ScoreDetailView",
    "SelfAssessView",
    "SetDetailView",
]

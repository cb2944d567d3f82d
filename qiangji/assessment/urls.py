from django.urls import path

from qiangji.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sets/new/", views.ExampleSetCreateView.as_view(), name="set-create"),
    path("sets/<int:pk>/", views.SetDetailView.as_view(), name="set"),
    path("sets/<int:pk>/compute/", views.RunComputeView.as_view(), name="run-compute"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("runs/<int:pk>/publish/", views.RunPublishView.as_view(), name="run-publish"),
    path("scores/<int:pk>/", views.ScoreDetailView.as_view(), name="score"),
    path("scores/<int:pk>/self-assess/", views.SelfAssessView.as_view(), name="self-assess"),
    path("scores/<int:pk>/manual/<int:indicator>/", views.ManualScoreView.as_view(), name="manual"),
    path("scores/<int:pk>/adjust/", views.AdjustmentView.as_view(), name="adjust"),
    path("lines/<int:pk>/", views.LineDetailView.as_view(), name="line"),
    path("ratings/<int:pk>/", views.RatingDetailView.as_view(), name="rating"),
    path("ratings/<int:pk>/<slug:step>/", views.RatingStepView.as_view(), name="rating-step"),
    path("weak/", views.WeakListView.as_view(), name="weak"),
    path("weak/criteria/", views.WeakSeedView.as_view(), name="weak-seed"),
    path("weak/detect/", views.WeakDetectView.as_view(), name="weak-detect"),
    path("weak/<int:pk>/", views.FlagDetailView.as_view(), name="flag"),
    path("weak/<int:pk>/plan/", views.PlanEditView.as_view(), name="plan-edit"),
    path("weak/<int:pk>/evidence/", views.PlanEvidenceView.as_view(), name="plan-evidence"),
    path("weak/<int:pk>/sign-off/", views.PlanSignOffView.as_view(), name="plan-sign-off"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("accountability/", views.AccountabilityListView.as_view(), name="accountability"),
    path("accountability/gather/", views.GatherView.as_view(), name="accountability-gather"),
    path("accountability/<int:pk>/decide/", views.DecideView.as_view(), name="accountability-decide"),
    path("awards/", views.NominationListView.as_view(), name="nominations"),
    path("awards/new/", views.NominateView.as_view(), name="nominate"),
    path("awards/<int:pk>/", views.NominationDetailView.as_view(), name="nomination"),
    path("awards/<int:pk>/<slug:step>/", views.NominationStepView.as_view(), name="nomination-step"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/new/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report-review"),
    path("reports/<int:pk>/grade/", views.ReportGradeView.as_view(), name="report-grade"),
    path("reports/<int:pk>/follow-ups/", views.FollowUpAddView.as_view(), name="follow-up-add"),
    path("follow-ups/<int:pk>/close/", views.FollowUpCloseView.as_view(), name="follow-up-close"),
]

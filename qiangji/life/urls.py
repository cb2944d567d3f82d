"""HTML routes of organisational life.  `org_pk` pages read the organisation through the user's scope."""

from django.urls import path

from qiangji.life import views
from qiangji.life.pdf import MeetingPdfView

app_name = "life"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # a branch
    path("org/<int:org_pk>/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("org/<int:org_pk>/plans/new/", views.PlanMakeView.as_view(), name="plan-make"),
    path("org/<int:org_pk>/meetings/new/", views.MeetingNewView.as_view(), name="meeting-new"),
    path("org/<int:org_pk>/appraisals/new/", views.AppraisalOpenView.as_view(), name="appraisal-open"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="yearplan-detail"),
    path("plan-items/<int:pk>/drop/", views.PlanItemDropView.as_view(), name="plan-item-drop"),
    # a meeting
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting-record"),
    path("meetings/<int:pk>/attendance/", views.RosterView.as_view(), name="attendance"),
    path("meetings/<int:pk>/code/", views.CodeView.as_view(), name="checkin-code"),
    path("meetings/<int:pk>/checklist/<int:item_pk>/", views.ChecklistView.as_view(), name="checklist"),
    path("meetings/<int:pk>/attachments/", views.AttachmentAddView.as_view(), name="attachment-add"),
    path("meetings/<int:pk>/submit/", views.SubmitView.as_view(), name="meeting-submit"),
    path("meetings/<int:pk>/review/", views.ReviewView.as_view(), name="meeting-review"),
    path("meetings/<int:pk>/pdf/", MeetingPdfView.as_view(), name="meeting-pdf"),
    path("attachments/<int:pk>/", views.AttachmentFileView.as_view(), name="attachment-file"),
    path("checkin/<str:token>/", views.CheckInView.as_view(), name="checkin"),
    # a committee
    path("org/<int:org_pk>/committee/", views.CommitteeView.as_view(), name="committee"),
    path("org/<int:org_pk>/themes/new/", views.ThemePushView.as_view(), name="theme-push"),
    path("themes/<int:pk>/", views.ThemeDetailView.as_view(), name="monthlytheme-detail"),
    path("org/<int:org_pk>/reviews/", views.ReviewListView.as_view(), name="reviews"),
    path("org/<int:org_pk>/plans/", views.PlanListView.as_view(), name="plans"),
    path("org/<int:org_pk>/exemptions/new/", views.ExemptionView.as_view(), name="exemption-new"),
    # compliance
    path("org/<int:org_pk>/compliance/", views.ComplianceView.as_view(), name="compliance"),
    path(
        "org/<int:org_pk>/compliance/export/", views.ComplianceExportView.as_view(), name="compliance-export"
    ),
    path(
        "org/<int:org_pk>/attendance/export/", views.AttendanceExportView.as_view(), name="attendance-export"
    ),
    path("org/<int:org_pk>/lapsed/", views.LapsedView.as_view(), name="lapsed"),
    path("members/<int:pk>/", views.MemberLifeView.as_view(), name="member-life"),
    # democratic appraisal
    path("appraisals/<int:pk>/", views.AppraisalDetailView.as_view(), name="appraisalround-detail"),
    path("appraisals/<int:pk>/write/", views.AppraisalWriteView.as_view(), name="appraisal-write"),
    path("appraisals/<int:pk>/grade/", views.AppraisalGradeView.as_view(), name="appraisal-grade"),
    path("appraisals/<int:pk>/stage/", views.AppraisalStageView.as_view(), name="appraisal-stage"),
]

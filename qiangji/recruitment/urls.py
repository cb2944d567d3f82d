from django.urls import path

from qiangji.recruitment.views import audits, cases, dossier, due, plans, steps

app_name = "recruitment"
urlpatterns = [
    path("", cases.BoardView.as_view(), name="board"),
    path("due/", due.DueListView.as_view(), name="due"),
    path("due/export/", due.DueExportView.as_view(), name="due-export"),
    path("committee/", cases.CommitteeView.as_view(), name="committee"),
    path("new/", cases.ApplicationCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/step/", steps.StepView.as_view(), name="step"),
    path("cases/<int:pk>/override/", steps.OverrideView.as_view(), name="override"),
    path("cases/<int:pk>/transfer/", cases.TransferView.as_view(), name="case-transfer"),
    path("cases/<int:pk>/dossier/", dossier.DossierView.as_view(), name="dossier"),
    path("cases/<int:pk>/dossier/<slug:slug>.pdf", dossier.DossierPdfView.as_view(), name="dossier-pdf"),
    path("forms/", dossier.FormRangeView.as_view(), name="form-ranges"),
    path("plans/", plans.PlanView.as_view(), name="plans"),
    path("file-audits/", audits.FileAuditListView.as_view(), name="file-audits"),
    path("file-audits/<int:pk>/", audits.FileAuditDetailView.as_view(), name="file-audit"),
    path("file-audits/samples/<int:pk>/", audits.SampleView.as_view(), name="file-audit-sample"),
    path("file-audits/findings/<int:pk>/", audits.FindingCorrectionView.as_view(), name="file-audit-finding"),
]

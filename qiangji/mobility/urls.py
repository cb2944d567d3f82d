from django.urls import path

from qiangji.mobility.views import certificates, community, flows, overview, transfers

app_name = "mobility"
urlpatterns = [
    path("", overview.IndexView.as_view(), name="index"),
    path("members/<int:pk>/", overview.MemberMobilityView.as_view(), name="member"),
    path("members/<int:pk>/transfer/", transfers.TransferCreateView.as_view(), name="transfer-create"),
    path("members/<int:pk>/outflow/", flows.OutflowCreateView.as_view(), name="flow-create"),
    path(
        "members/<int:pk>/certificate/",
        certificates.CertificateIssueView.as_view(),
        name="certificate-create",
    ),
    path("members/<int:pk>/graduate/", transfers.GraduateHoldView.as_view(), name="graduate-create"),
    path("transfers/", transfers.TransferListView.as_view(), name="transfer-list"),
    path("transfers/export/", transfers.TransferExportView.as_view(), name="transfer-export"),
    path("transfers/incoming/", transfers.IncomingLetterView.as_view(), name="transfer-incoming"),
    path("transfers/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/accept/", transfers.TransferAcceptView.as_view(), name="transfer-accept"),
    path("transfers/<int:pk>/return/", transfers.TransferReturnView.as_view(), name="transfer-return"),
    path("transfers/<int:pk>/receipt/", transfers.TransferReceiptView.as_view(), name="transfer-receipt"),
    path("transfers/<int:pk>/letter.pdf", transfers.LetterPdfView.as_view(), name="transfer-letter"),
    path("flows/", flows.FlowListView.as_view(), name="flow-list"),
    path("flows/export/", flows.FlowExportView.as_view(), name="flow-export"),
    path("flows/inflow/", flows.InflowCreateView.as_view(), name="flow-inflow"),
    path("flows/<int:pk>/", flows.FlowDetailView.as_view(), name="flow-detail"),
    path("flows/<int:pk>/accept/", flows.FlowAcceptView.as_view(), name="flow-accept"),
    path("flows/<int:pk>/decline/", flows.FlowDeclineView.as_view(), name="flow-decline"),
    path("flows/<int:pk>/end/", flows.FlowEndView.as_view(), name="flow-end"),
    path("branches/<int:pk>/poster/", flows.PosterView.as_view(), name="poster"),
    path("arrive/<str:token>/", flows.ArriveView.as_view(), name="arrive"),
    path("certificates/", certificates.CertificateListView.as_view(), name="certificate-list"),
    path("certificates/<int:pk>/", certificates.CertificateDetailView.as_view(), name="certificate-detail"),
    path("certificates/<int:pk>/card.pdf", certificates.CertificatePdfView.as_view(), name="certificate-pdf"),
    path(
        "certificates/<int:pk>/check/", certificates.CertificateCheckView.as_view(), name="certificate-check"
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificates.CertificateRevokeView.as_view(),
        name="certificate-revoke",
    ),
    path("verify/", certificates.VerifyView.as_view(), name="verify"),
    path("public-key/", certificates.PublicKeyView.as_view(), name="public-key"),
    path("anchors/", community.AnchorListView.as_view(), name="anchor-list"),
    path("anchors/new/", community.AnchorCreateView.as_view(), name="anchor-create"),
    path("anchors/<int:pk>/remove/", community.AnchorRemoveView.as_view(), name="anchor-remove"),
    path("community/", community.CommunityView.as_view(), name="community"),
    path("community/posts/new/", community.ServicePostCreateView.as_view(), name="post-create"),
    path("community/report/", community.ReportCreateView.as_view(), name="report-create"),
    path("community/reports/<int:pk>/hours/", community.HoursCreateView.as_view(), name="hours-create"),
    path("community/hours/<int:pk>/decide/", community.HoursDecideView.as_view(), name="hours-decide"),
]

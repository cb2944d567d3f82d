from django.urls import path

from qiangji.governance.views import decisions, fieldwork, powers

app_name = "governance"

urlpatterns = [
    path("", powers.HomeView.as_view(), name="home"),
    path("items/", powers.ItemListView.as_view(), name="items"),
    path("items/<int:pk>/", powers.ItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/adopt/", powers.ItemAdoptView.as_view(), name="item-adopt"),
    path("items/<int:pk>/steps/", powers.StepEditView.as_view(), name="item-step"),
    path("cases/", powers.CaseListView.as_view(), name="cases"),
    path("cases/new/", powers.CaseCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", powers.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/steps/<int:order>/", powers.CaseStepView.as_view(), name="case-step"),
    path("cases/<int:pk>/objections/new/", powers.ObjectionCreateView.as_view(), name="objection-create"),
    path("objections/<int:pk>/resolve/", powers.ObjectionResolveView.as_view(), name="objection-resolve"),
    path("public/<str:code>/", powers.DisclosureView.as_view(), name="disclosure"),
    path("public/<str:code>/report/", powers.ReportCreateView.as_view(), name="report-create"),
    path("reports/", powers.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/", powers.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/close/", powers.ReportCloseView.as_view(), name="report-close"),
    path("villages/<int:pk>/contacts/new/", powers.ContactCreateView.as_view(), name="contact-create"),
    path("rules/", decisions.RuleListView.as_view(), name="rules"),
    path("rules/adopt/<int:pk>/", decisions.RuleAdoptView.as_view(), name="rules-adopt"),
    path("rules/<int:pk>/", decisions.RuleEditView.as_view(), name="rule-edit"),
    path("decisions/", decisions.DecisionListView.as_view(), name="decisions"),
    path("decisions/new/", decisions.DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/prereview/", decisions.PrereviewQueueView.as_view(), name="prereview"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision"),
    path("decisions/<int:pk>/<slug:stage>/", decisions.DecisionStageView.as_view(), name="decision-stage"),
    path("points/", fieldwork.PointListView.as_view(), name="points"),
    path("points/new/", fieldwork.PointCreateView.as_view(), name="point-create"),
    path("points/<int:pk>/", fieldwork.PointDetailView.as_view(), name="point"),
    path("points/<int:pk>/visits/new/", fieldwork.VisitCreateView.as_view(), name="visit-create"),
    path("findings/", fieldwork.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/close/", fieldwork.FindingCloseView.as_view(), name="finding-close"),
]

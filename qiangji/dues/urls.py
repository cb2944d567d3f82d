from django.urls import path

from qiangji.dues import views
from qiangji.dues.payments import fake_enabled

app_name = "dues"
urlpatterns = [
    path("", views.MonthTableView.as_view(), name="month"),
    path("mine/", views.MyDuesView.as_view(), name="mine"),
    path("arrears/", views.ArrearsView.as_view(), name="arrears"),
    path("arrears/export/", views.ArrearsExportView.as_view(), name="arrears-export"),
    path("rates/", views.RatesView.as_view(), name="rates"),
    path("remittance/", views.RemittanceView.as_view(), name="remittance"),
    path("reductions/", views.ReductionListView.as_view(), name="reductions"),
    path("reductions/<int:pk>/agree/", views.ReductionAgreeView.as_view(), name="reduction-agree"),
    path("reductions/<int:pk>/decide/", views.ReductionDecideView.as_view(), name="reduction-decide"),
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path("suggestions/compute/", views.SuggestionComputeView.as_view(), name="suggestions-compute"),
    path("suggestions/<int:pk>/decide/", views.SuggestionDecideView.as_view(), name="suggestion-decide"),
    path("members/<int:pk>/", views.MemberDuesView.as_view(), name="member"),
    path("members/<int:pk>/base/", views.BaseView.as_view(), name="base"),
    path("members/<int:pk>/pay/", views.PaymentView.as_view(), name="pay"),
    path("members/<int:pk>/quick-pay/", views.QuickPayView.as_view(), name="quick-pay"),
    path("members/<int:pk>/voluntary/", views.VoluntaryView.as_view(), name="voluntary"),
    path("members/<int:pk>/reduction/", views.ReductionCreateView.as_view(), name="reduction-new"),
    path("members/<int:pk>/pay-online/", views.OnlineStartView.as_view(), name="pay-online"),
    path("online/orders/<str:order_no>/", views.OrderView.as_view(), name="online-order"),
    path("online/notify/<str:provider>/", views.NotifyView.as_view(), name="online-notify"),
]
if (
    fake_enabled()
):  # the fake platform's checkout exists only where the fake is configured and allowed (ADR 0015)
    urlpatterns.append(path("fake-pay/<str:reference>/", views.FakePayView.as_view(), name="fake-pay"))

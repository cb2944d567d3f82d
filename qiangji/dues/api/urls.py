from django.urls import path
from rest_framework.routers import SimpleRouter

from qiangji.dues.api import views as api

router = SimpleRouter()
router.register("bases", api.BaseViewSet, basename="dues-base")
router.register("payments", api.PaymentViewSet, basename="dues-payment")
router.register("accounts", api.AccountViewSet, basename="dues-account")
router.register("reductions", api.ReductionViewSet, basename="dues-reduction")
router.register("suggestions", api.SuggestionViewSet, basename="dues-suggestion")
urlpatterns = [
    path("arrears/", api.ArrearsView.as_view(), name="dues-arrears"),
    path("rates/", api.RatesView.as_view(), name="dues-rates"),
    path("remittance/", api.RemittanceView.as_view(), name="dues-remittance"),
    path("online/start/", api.OnlineStartView.as_view(), name="dues-online-start"),
    path("online/confirm/", api.OnlineConfirmView.as_view(), name="dues-online-confirm"),
    *router.urls,
]

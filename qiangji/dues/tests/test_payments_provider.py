"""Online payments (issue #12, build 5; ADR 0015): off unless configured, the fake only in DEBUG or the demo,
orders in the database, callbacks verified against keys generated here (signature, amount, order, replay)."""

import json
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core import checks
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.dues import services
from qiangji.dues.models import Payment, PaymentOrder
from qiangji.dues.payments import CallbackRejected, get_provider, online_enabled, signatures
from qiangji.dues.payments.fake import FakeProvider
from qiangji.dues.services.online import NOT_ENABLED
from qiangji.dues.tests.helpers import give_base, month, pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2026-06-15 10:00:00"):
        yield


def deploy_errors():
    return [
        message.id
        for message in checks.run_checks(include_deployment_checks=True)
        if message.id and message.id.startswith("dues.")
    ]


def start(world, months=(6,), actor="dangyuan"):
    give_base(world)
    return services.start_online_payment(
        actor=world.users[actor], member=world.member, months_paid=[month(2026, m) for m in months]
    )


def deliver(order, amount=None, **kwargs):
    body, headers = FakeProvider().callback(
        order_no=order.order_no, amount=order.amount if amount is None else amount, **kwargs
    )
    return services.receive_callback(provider="fake", body=body, headers=headers), body, headers


def state():
    return (
        Payment.objects.count(),
        AuditEntry.objects.count(),
        list(PaymentOrder.objects.values_list("status", "callback_digest", "updated_at", "payment_batch")),
    )


# ----- settings: no provider unless configured; the fake only in DEBUG or the demo ----------------


class TestSettingsCheck:
    def test_fake_with_debug_off_and_no_demo_is_a_deploy_error(self, settings):
        settings.QIANGJI_PAYMENT_PROVIDER, settings.DEBUG, settings.QIANGJI_DEMO = "fake", False, False
        assert "dues.E003" in deploy_errors()
        assert get_provider() is None and not online_enabled()  # refused at run time too

    def test_fake_with_debug_on_is_fine(self, settings):
        settings.QIANGJI_PAYMENT_PROVIDER, settings.DEBUG, settings.QIANGJI_DEMO = "fake", True, False
        assert deploy_errors() == [] and isinstance(get_provider(), FakeProvider)

    def test_fake_in_the_demo_is_fine(self, settings):
        settings.QIANGJI_PAYMENT_PROVIDER, settings.DEBUG, settings.QIANGJI_DEMO = "fake", False, True
        assert deploy_errors() == [] and isinstance(get_provider(), FakeProvider)

    def test_no_provider_is_the_default_and_fine(self, settings):
        settings.QIANGJI_PAYMENT_PROVIDER = ""
        assert deploy_errors() == [] and get_provider() is None

    def test_unknown_provider_is_an_error(self, settings):
        settings.QIANGJI_PAYMENT_PROVIDER = "paypal"
        assert deploy_errors() == ["dues.E001"]


class TestNotConfigured:
    def test_pages_say_online_payment_is_not_enabled_and_no_fake_route_exists(self, world, client_as):
        give_base(world)
        client = client_as(world.users["dangyuan"])
        page = client.get(reverse("dues:pay-online", args=[world.member.pk]))
        assert page.status_code == 200 and NOT_ENABLED in page.content.decode()
        response = client.post(
            reverse("dues:pay-online", args=[world.member.pk]), {"months": ["2026-06"]}, follow=True
        )
        assert NOT_ENABLED in response.content.decode()
        assert not PaymentOrder.objects.exists() and not Payment.objects.exists()
        with pytest.raises(NoReverseMatch):
            reverse("dues:fake-pay", args=["X"])
        assert client.get("/dues/fake-pay/QJ1/").status_code == 404
        assert (
            client.post(
                reverse("dues:online-notify", args=["fake"]), b"{}", content_type="application/json"
            ).status_code
            == 404
        )

    def test_api_start_is_refused(self, world, client_as):
        give_base(world)
        response = client_as(world.users["dangyuan"]).post(
            reverse("dues-online-start"),
            {"member": world.member.pk, "months": ["2026-06"]},
            content_type="application/json",
        )
        assert response.status_code == 400 and "未开通" in response.content.decode()
        assert not PaymentOrder.objects.exists()


# ----- callbacks ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_payments")
class TestCallbacks:
    def test_good_signature_records_the_payment_once_through_the_payment_service(self, world):
        order = start(world, months=(5, 6))
        outcome, body, _ = deliver(order)
        assert outcome.ok and outcome.recorded
        order.refresh_from_db()
        assert order.status == "paid" and order.paid_at and order.payment_batch
        assert len(order.callback_digest) == 64 and order.provider_order_id.startswith("FAKE")
        rows = Payment.objects.filter(batch=order.payment_batch)
        assert sorted(row.month for row in rows) == [month(2026, 5), month(2026, 6)]
        assert {row.method for row in rows} == {"online"} and sum(row.amount for row in rows) == Decimal(
            "80.00"
        )
        entry = AuditEntry.objects.get(action="dues.payment.recorded")
        assert entry.after["method"] == "online" and entry.after["months"] == ["2026-05", "2026-06"]

    def test_bad_signature_changes_nothing(self, world):
        order = start(world)
        before = state()
        body, headers = FakeProvider().callback(
            order_no=order.order_no, amount=order.amount, key=Ed25519PrivateKey.generate()
        )  # not the platform's key
        outcome = services.receive_callback(provider="fake", body=body, headers=headers)
        assert not outcome.ok and "签名无效" in outcome.detail and state() == before

    def test_altered_body_or_missing_signature_changes_nothing(self, world):
        order = start(world)
        before = state()
        body, headers = FakeProvider().callback(order_no=order.order_no, amount=order.amount)
        forged = body.replace(b'"SUCCESS"', b'"SUCCESS" ', 1)
        assert not services.receive_callback(provider="fake", body=forged, headers=headers).ok
        unsigned = {k: v for k, v in headers.items() if k != "Fakepay-Signature"}
        assert not services.receive_callback(provider="fake", body=body, headers=unsigned).ok
        assert state() == before

    def test_wrong_amount_is_refused_even_when_signed(self, world):
        order = start(world)
        before = state()
        outcome, _, _ = deliver(order, amount=Decimal("0.01"))
        assert not outcome.ok and "金额与订单不符" in outcome.detail and state() == before

    def test_replay_changes_nothing_and_records_nothing_twice(self, world):
        order = start(world)
        outcome, body, headers = deliver(order)
        assert outcome.recorded
        after_first = state()
        again = services.receive_callback(
            provider="fake", body=body, headers=headers
        )  # the same message again
        assert again.ok and not again.recorded and state() == after_first
        retry, _, _ = deliver(order)  # the platform's retry: a new signature, same order
        assert retry.ok and not retry.recorded and state() == after_first
        assert Payment.objects.filter(kind="regular").count() == 1

    def test_old_timestamp_is_refused(self, world):
        order = start(world)
        before = state()
        outcome, _, _ = deliver(order, timestamp=1_700_000_000)
        assert not outcome.ok and "时间戳" in outcome.detail and state() == before

    def test_unknown_order_is_refused(self, world):
        start(world)
        before = state()
        body, headers = FakeProvider().callback(order_no="QJ20260615NOSUCHORDER", amount=Decimal("40.00"))
        outcome = services.receive_callback(provider="fake", body=body, headers=headers)
        assert not outcome.ok and "没有该订单" in outcome.detail and state() == before

    def test_failed_notice_marks_the_order_failed_and_records_no_payment(self, world):
        order = start(world)
        outcome, _, _ = deliver(order, paid=False)
        order.refresh_from_db()
        assert outcome.ok and order.status == "failed" and not Payment.objects.exists()

    def test_paid_for_months_already_paid_in_cash_is_kept_for_a_refund(self, world):
        order = start(world)
        pay(world, [month(2026, 6)], "40")
        outcome, _, _ = deliver(order)
        order.refresh_from_db()
        assert (
            outcome.ok
            and not outcome.recorded
            and order.status == "failed"
            and "已付款但无法登记" in order.failure_reason
        )
        assert (
            Payment.objects.count() == 1
            and AuditEntry.objects.filter(action="dues.online.unrecorded").count() == 1
        )

    def test_notify_url_answers_the_platform(self, world, client):
        order = start(world)
        body, headers = FakeProvider().callback(order_no=order.order_no, amount=order.amount)
        url = reverse("dues:online-notify", args=["fake"])
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        forged = client.post(url, body.replace(b"40", b"41"), content_type="application/json", **extra)
        assert forged.status_code == 400 and json.loads(forged.content)["code"] == "FAIL"
        good = client.post(url, body, content_type="application/json", **extra)  # no session, no CSRF token
        assert good.status_code == 200 and json.loads(good.content) == {"code": "SUCCESS"}
        assert client.post(url, body, content_type="application/json", **extra).status_code == 200  # replay
        assert Payment.objects.filter(method="online").count() == 1
        assert (
            client.post(
                reverse("dues:online-notify", args=["wechat"]), body, content_type="application/json", **extra
            ).status_code
            == 404
        )


# ----- nobody marks dues paid without the platform's signed word ---------------------------------


@pytest.mark.usefixtures("fake_payments")
class TestNoSelfMarking:
    def test_member_cannot_record_online_payment_themselves(self, world, client_as):
        give_base(world)
        with pytest.raises(ValidationError, match="在线支付"):
            services.record_payment(
                actor=world.users["zhibu"],
                member=world.member,
                months_paid=[month(2026, 6)],
                amount=Decimal("40"),
                method="online",
            )
        with pytest.raises(Http404):
            services.record_payment(
                actor=world.users["dangyuan"],
                member=world.member,
                months_paid=[month(2026, 6)],
                amount=Decimal("40"),
                method="cash",
            )
        client = client_as(world.users["dangyuan"])
        assert (
            client.post(reverse("dues:quick-pay", args=[world.member.pk]), {"month": "2026-06"}).status_code
            == 404
        )
        assert not Payment.objects.exists()

    def test_confirm_before_the_callback_records_nothing(self, world, client_as):
        order = start(world)
        with pytest.raises(ValidationError, match="尚未支付"):
            services.confirm_online_payment(actor=world.users["dangyuan"], reference=order.order_no)
        client_as(world.users["dangyuan"]).post(reverse("dues:online-order", args=[order.order_no]))
        assert not Payment.objects.exists() and PaymentOrder.objects.get().status == "created"

    def test_fake_checkout_pays_only_through_its_signed_callback(self, world, client_as):
        order = start(world)
        client = client_as(world.users["dangyuan"])
        page = client.get(reverse("dues:fake-pay", args=[order.order_no]))
        assert page.status_code == 200 and "40.00" in page.content.decode()
        client.post(reverse("dues:fake-pay", args=[order.order_no]))
        assert PaymentOrder.objects.get().status == "paid" and Payment.objects.get().method == "online"
        entry = AuditEntry.objects.get(action="dues.payment.recorded")
        assert entry.actor == world.users["dangyuan"]
        shown = client.get(reverse("dues:online-order", args=[order.order_no])).content.decode()
        assert "已支付" in shown and "2026年6月 40.00 元" in shown
        listing = client.get(reverse("dues:pay-online", args=[world.member.pk])).content.decode()
        assert order.order_no in listing and "2026年6月" not in listing.split("最近的在线支付订单")[0]

    def test_foreign_user_cannot_see_or_pay_the_order(self, world, client_as):
        order = start(world)
        client = client_as(world.users["foreign"])
        assert client.get(reverse("dues:fake-pay", args=[order.order_no])).status_code == 404
        assert client.post(reverse("dues:fake-pay", args=[order.order_no])).status_code == 404
        assert client.get(reverse("dues:online-order", args=[order.order_no])).status_code == 404
        assert not Payment.objects.exists()

    def test_an_open_order_is_handed_back_not_doubled(self, world):
        first = start(world)
        again = services.start_online_payment(
            actor=world.users["dangyuan"], member=world.member, months_paid=[month(2026, 6)]
        )
        assert again.pk == first.pk and PaymentOrder.objects.count() == 1
        assert AuditEntry.objects.filter(action="dues.online.started").count() == 1


# ----- orders in the database: any worker process answers ----------------------------------------


def test_the_order_survives_across_processes(world, client_as, fake_payments, settings):
    settings.QIANGJI_PAYMENT_FAKE_KEY = ""  # the key every worker derives from the shared secret key
    order = start(world)
    # "Another process": nothing of the first one's objects, only the database and the settings.
    body, headers = FakeProvider().callback(order_no=order.order_no, amount=order.amount)
    fresh = PaymentOrder.objects.get(order_no=order.order_no)
    assert fresh.amount == Decimal("40.00") and fresh.months == ["2026-06"] and fresh.status == "created"
    assert (
        client_as(world.users["dangyuan"]).get(reverse("dues:fake-pay", args=[order.order_no])).status_code
        == 200
    )
    assert services.receive_callback(provider="fake", body=body, headers=headers).recorded


# ----- the signature helpers the adapters share, against keys generated here ---------------------


@pytest.mark.parametrize(
    "make_key",
    [lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), Ed25519PrivateKey.generate],
    ids=["rsa-sha256", "ed25519"],
)
def test_signature_helpers_accept_the_owner_and_refuse_anyone_else(make_key):
    key, other = make_key(), make_key()
    message = signatures.signed_message("1781488800", "abc", b'{"a":1}')
    signature = signatures.sign(key, message)
    public = signatures.load_public_key(signatures.public_pem(key.public_key()))
    signatures.verify(public, message, signature)
    with pytest.raises(CallbackRejected):
        signatures.verify(public, message + b" ", signature)
    with pytest.raises(CallbackRejected):
        signatures.verify(public, message, signatures.sign(other, message))
    with pytest.raises(CallbackRejected):
        signatures.verify(public, message, "not base64!")

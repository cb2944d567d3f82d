"""System checks of the online-payment settings (ADR 0015).

* dues.E001 (always): `QIANGJI_PAYMENT_PROVIDER` names no registered provider.
* dues.E002 (always): a real provider is configured without the settings it needs.
* dues.E003 (`check --deploy`): the fake provider, which moves no money and lets a member mark their
  own dues paid, is configured while DEBUG is off and `QIANGJI_DEMO` is off.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from qiangji.dues.payments import PROVIDERS, configured_name, fake_allowed
from qiangji.dues.payments.registry import FAKE, provider_class


@register(Tags.security)
def payment_provider_check(app_configs=None, **kwargs):
    name = configured_name()
    if not name:
        return []
    if name not in PROVIDERS:
        return [
            Error(
                f"QIANGJI_PAYMENT_PROVIDER“{name}”不是已登记的支付平台（可选：{'、'.join(PROVIDERS)}）",
                hint="留空即不开通在线交纳；接入新平台见 docs/adr/0015-online-dues-payments.md",
                id="dues.E001",
            )
        ]
    missing = [
        setting for setting in provider_class(name).required_settings if not getattr(settings, setting, "")
    ]
    if missing:
        return [
            Error(f"支付平台“{name}”缺少设置：{'、'.join(missing)}", hint="见 .env.example", id="dues.E002")
        ]
    return []


@register(Tags.security, deploy=True)
def fake_provider_deploy_check(app_configs=None, **kwargs):
    if configured_name() == FAKE and not fake_allowed():
        return [
            Error(
                "QIANGJI_PAYMENT_PROVIDER=fake 是模拟支付平台（不收款，党员可自行标记已交），只能用于 DEBUG 或演示环境",
                hint="生产环境请留空 QIANGJI_PAYMENT_PROVIDER（不开通在线交纳）或配置真实支付平台；"
                "演示环境由 `qiangji demo` 设置 QIANGJI_DEMO=1",
                id="dues.E003",
            )
        ]
    return []

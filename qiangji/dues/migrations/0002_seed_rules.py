"""Seed the 2008 dues table (docs/rules.md §4) and the default regional setting."""

from decimal import Decimal

from django.db import migrations

SOURCE = "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）“党费的收缴”部分（dfgd-2008）"
BRACKETS = [
    ("salary", Decimal("3000"), Decimal("0.5"), None),
    ("salary", Decimal("5000"), Decimal("1"), None),
    ("salary", Decimal("10000"), Decimal("1.5"), None),
    ("salary", None, Decimal("2"), None),
    ("pension", Decimal("5000"), Decimal("0.5"), None),
    ("pension", None, Decimal("1"), None),
    ("fixed", None, None, Decimal("0.20")),
]


def seed(apps, schema_editor):
    DuesRule = apps.get_model("dues", "DuesRule")
    RegionDuesSetting = apps.get_model("dues", "RegionDuesSetting")
    for bracket, upper, rate, fixed in BRACKETS:
        DuesRule.objects.create(rule_set="dfgd-2008", bracket=bracket, upper=upper, rate_percent=rate,
                                fixed_amount=fixed, source=SOURCE)
    RegionDuesSetting.objects.create(
        province_code="", farmer_amount=Decimal("0.20"), pension_basis="total",
        source="默认值：农民党员每月0.2元至1元，由省级党委组织部确定（dfgd-2008）；各省可另设",
    )


def unseed(apps, schema_editor):
    apps.get_model("dues", "DuesRule").objects.filter(rule_set="dfgd-2008").delete()
    apps.get_model("dues", "RegionDuesSetting").objects.filter(province_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

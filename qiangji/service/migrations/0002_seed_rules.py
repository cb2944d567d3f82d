"""Seed the categories and desk rules (docs/rules.md §8); idempotent (conftest.SEEDED_BY re-runs it)."""

from django.db import migrations

HOTLINE = "docs/rules.md §8；某市12345热线服务标准"
SHANDONG = "docs/rules.md §8；《山东省12345政务服务便民热线工作规范》：5个工作日办结答复，延期不超过10个工作日，派单错误2个工作日内退回"
BUREAU = "docs/rules.md §8；某市局诉求办理规定：咨询求助当日或3个工作日内，投诉举报建议13个工作日内"

CATEGORIES = [
    # code, name, group, value, unit, first tier, audiences, required, source, order
    (
        "emergency",
        "紧急求助",
        "紧急",
        2,
        "hours",
        "compound",
        "resident,rider,driver",
        ["address"],
        HOTLINE,
        10,
    ),
    ("utilities", "水电气暖", "民生保障", 24, "hours", "compound", "resident", ["address"], HOTLINE, 20),
    ("general", "一般诉求", "一般", 7, "days", "compound", "resident,rider,driver", [], HOTLINE, 30),
    ("complex", "复杂诉求", "复杂", 15, "working_days", "compound", "resident", [], HOTLINE, 40),
    (
        "hotline",
        "12345热线转办",
        "热线",
        5,
        "working_days",
        "compound",
        "resident,rider,driver",
        [],
        SHANDONG,
        50,
    ),
    ("enquiry", "咨询求助", "咨询", 3, "working_days", "compound", "resident,rider,driver", [], BUREAU, 60),
    (
        "complaint",
        "投诉举报建议",
        "投诉",
        13,
        "working_days",
        "compound",
        "resident,rider,driver",
        [],
        BUREAU,
        70,
    ),
    ("rider_help", "骑手一键求助", "新就业群体", 24, "hours", "industry", "rider", ["location"], HOTLINE, 80),
    (
        "driver_help",
        "司机一键求助",
        "新就业群体",
        24,
        "hours",
        "industry",
        "driver",
        ["location"],
        HOTLINE,
        90,
    ),
    ("parking", "停车与通行", "新就业群体", 5, "working_days", "industry", "rider,driver", [], SHANDONG, 100),
    (
        "platform_fee",
        "平台抽成与权益",
        "新就业群体",
        15,
        "working_days",
        "industry",
        "rider,driver",
        [],
        HOTLINE,
        110,
    ),
]

RULES = [
    (
        "confirm_days",
        "答复后诉求人未评价的天数，逾期按“未评价”办结",
        7,
        "docs/rules.md §8；国办发〔2020〕53号 回访评价环节",
    ),
    ("duplicate_hours", "重复诉求判定时间窗（小时）", 72, "docs/rules.md §8（平台设定，可调整）"),
    ("duplicate_metres", "重复诉求判定距离（米）", 100, "docs/rules.md §8（平台设定，可调整）"),
    ("no_response_hours", "无响应红色预警（小时）", 24, "docs/rules.md §8（平台设定，可调整）"),
    ("no_progress_days", "无进展黄色预警（天）", 3, "docs/rules.md §8（平台设定，可调整）"),
    ("photo_max_kb", "照片大小上限（KB）", 5120, "docs/rules.md §8（平台设定，可调整）"),
    ("reopen_max", "不满意或未解决时重新办理的次数", 1, "docs/rules.md §8（平台设定，可调整）"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("service", "Category")
    DeskRule = apps.get_model("service", "DeskRule")
    for code, name, group, value, unit, tier, audiences, required, source, order in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                group=group,
                limit_value=value,
                limit_unit=unit,
                first_tier=tier,
                audiences=audiences,
                required_fields=required,
                source=source,
                order=order,
                extension_max_working_days=10,
                sendback_working_days=2,
            ),
        )
    for key, name, value, source in RULES:
        DeskRule.objects.get_or_create(key=key, defaults=dict(name=name, value=value, source=source))


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

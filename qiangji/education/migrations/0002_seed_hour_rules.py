"""Seed the hour rules of docs/rules.md §3 (values are data: administrators may adjust R and L rows)."""

from django.db import migrations

PLAN = "《2019—2023年全国党员教育培训工作规划》"
# code, title, value, unit, mark, source
RULES = [
    ("member_annual", "党员每年集中学习培训学时", 64, "半小时", "N",
     "docs/rules.md §3；《中国共产党党员教育管理工作条例》（2019）：党员每年集中学习培训时间一般不少于32学时"),
    ("leader_annual", "基层党组织书记和班子成员每年学习培训学时", 112, "半小时", "R",
     f"docs/rules.md §3；{PLAN}：每年集中学习培训不少于56学时"),
    ("leader_concentrated", "基层党组织书记和班子成员每年集中培训", 1, "次", "R",
     f"docs/rules.md §3；{PLAN}：每年至少参加1次集中培训"),
    ("new_secretary_induction", "新任基层党组织书记任职培训", 6, "个月", "R",
     f"docs/rules.md §3；{PLAN}：新任基层党组织书记半年内完成任职培训"),
    ("probationary_concentrated", "预备党员和新转正党员集中培训", 12, "个月", "R",
     f"docs/rules.md §3；{PLAN}：预备期内或转正后1年内参加1次集中培训"),
    ("day_hours", "学时折算：1天", 16, "半小时", "L",
     "docs/rules.md §3（地方做法）：1天按8学时、半天按4学时、1小时按1学时计，最小单位0.5学时"),
]


def seed(apps, schema_editor):
    HourRule = apps.get_model("education", "HourRule")
    for code, title, value, unit, mark, source in RULES:
        HourRule.objects.update_or_create(
            code=code, defaults={"title": title, "value": value, "unit": unit, "mark": mark, "source": source}
        )


def unseed(apps, schema_editor):
    apps.get_model("education", "HourRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_ledger_and_courses")]
    operations = [migrations.RunPython(seed, unseed)]

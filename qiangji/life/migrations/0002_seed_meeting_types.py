"""Seed the national meeting rules (docs/rules.md §2).  Rows are data: a region makes them stricter through
MeetingRuleOverride, an administrator may adjust R/L defaults."""

from django.db import migrations

# code, name, period (months), quorum, usual months, required, counts toward, checklist, source, mark, note
TYPES = [
    ("branch_general", "支部党员大会", 3, "members_majority", "", True, None, False,
     "zbtl-2018（三会一课，docs/rules.md §2）", "N", "每季度召开一次"),
    ("branch_committee", "支部委员会会议", 1, "committee_majority", "", True, None, False,
     "zbtl-2018（docs/rules.md §2）", "N", "每月召开一次；到会委员超过半数方可召开"),
    ("group", "党小组会", 1, "none", "", True, None, False, "zbtl-2018（docs/rules.md §2）", "N", "每月召开一次"),
    ("lecture", "党课", 3, "none", "", True, None, False, "zbtl-2018；季度一次为地方常见做法（docs/rules.md §2）", "L",
     "每季度至少一次（地方常见做法，可配置）"),
    ("secretary_lecture", "书记讲党课", 12, "none", "", True, "lecture", False, "zbtl-2018（docs/rules.md §2）", "N",
     "党支部书记每年至少讲一次党课；同时计入党课"),
    ("theme_day", "主题党日", 1, "none", "", True, None, True, "zbtl-2018（docs/rules.md §2）", "N",
     "每月相对固定一天；先集中学习，再开展规定动作和自选动作"),
    ("review", "组织生活会", 12, "members_majority", "10,11,12", True, None, False, "zbtl-2018（docs/rules.md §2）", "N",
     "每年至少一次，一般安排在第四季度"),
    ("heart_talk", "谈心谈话", 12, "none", "", True, None, False, "zbtl-2018（docs/rules.md §2）", "R",
     "委员之间、委员和党员之间、党员之间每年至少一次"),
    ("appraisal", "民主评议党员", 12, "members_majority", "10,11,12", True, None, False,
     "zbtl-2018（docs/rules.md §2）", "N", "每年一次：个人自评、党员互评、民主测评、组织评定"),
]


def seed(apps, schema_editor):
    MeetingType = apps.get_model("life", "MeetingType")
    by_code = {}
    for position, row in enumerate(TYPES):
        code, name, period, quorum, usual, required, toward, checklist, source, mark, note = row
        by_code[code] = MeetingType.objects.create(
            code=code, name=name, period_months=period, quorum=quorum, usual_months=usual, is_required=required,
            counts_toward=by_code.get(toward), has_checklist=checklist, source=source, mark=mark, note=note,
            bit=position, position=position * 10,
        )


def unseed(apps, schema_editor):
    apps.get_model("life", "MeetingType").objects.filter(code__in=[row[0] for row in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("life", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

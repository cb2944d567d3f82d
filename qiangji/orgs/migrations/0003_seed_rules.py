"""Seed the term and structure rules of docs/rules.md §2 with their sources (administrators may edit them)."""

from django.db import migrations

PRIMARY = "docs/rules.md §2 任期（N）：基层党委每届任期5年。依据《中国共产党章程》；《中国共产党基层组织选举工作条例》（xjtl-2020）"
BRANCH = ("docs/rules.md §2 任期（N）：党总支、党支部委员会每届任期3年。依据《中国共产党章程》；"
          "《中国共产党支部工作条例（试行）》（zbtl-2018）")
VILLAGE = ("docs/rules.md §2 任期（N）：村、社区党组织每届任期5年。依据《中国共产党章程》；"
           "《中国共产党支部工作条例（试行）》（zbtl-2018）；xjtl-2020")

TERM_RULES = [
    ("committee", "", 5, PRIMARY),
    ("industry_committee", "", 5, PRIMARY),
    ("general_branch", "", 3, BRANCH),
    ("branch", "", 3, BRANCH),
    ("joint_branch", "", 3, BRANCH),
    ("temporary_branch", "", 3, BRANCH),
    ("mobile_branch", "", 3, BRANCH),
] + [
    (kind, category, 5, VILLAGE)
    for kind in ("general_branch", "branch", "joint_branch")
    for category in ("rural", "community")
]

ZBTL = "《中国共产党支部工作条例（试行）》（zbtl-2018）；docs/rules.md §2"
STRUCTURE_RULES = [
    ("branch_min_full_members", "党支部正式党员不少于（人）", 3, f"{ZBTL}：有正式党员3人以上的，应当成立党支部"),
    ("branch_max_members", "党支部党员人数一般不超过（人）", 50, f"{ZBTL}：党支部党员人数一般不超过50人"),
    ("committee_full_members", "应设支部委员会的正式党员人数（人）", 7,
     f"{ZBTL}：正式党员7人以上的党支部，应当设立党支部委员会"),
    ("committee_max_seats", "支部委员会委员最多（人）", 7, f"{ZBTL}：支部委员会由3至5人组成，一般不超过7人"),
]


def seed(apps, schema_editor):
    TermRule = apps.get_model("orgs", "TermRule")
    StructureRule = apps.get_model("orgs", "StructureRule")
    for kind, category, years, source in TERM_RULES:
        TermRule.objects.update_or_create(kind=kind, category=category, defaults={"years": years, "source": source})
    for code, title, value, source in STRUCTURE_RULES:
        StructureRule.objects.update_or_create(code=code, defaults={"title": title, "value": value, "source": source})


def unseed(apps, schema_editor):
    apps.get_model("orgs", "StructureRule").objects.filter(code__in=[r[0] for r in STRUCTURE_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_structure_rule")]
    operations = [migrations.RunPython(seed, unseed)]

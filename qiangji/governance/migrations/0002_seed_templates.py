"""Seed the national templates (org_path ""): the minimum-living-allowance item of the micro-power list and
the default village major-decision list.  A county adopts them into its own path and edits them
(docs/rules.md §9).  Idempotent: run again (after a test flush) it adds only what is missing."""

from decimal import Decimal

from django.db import migrations

DIBAO_SOURCE = (
    "《社会救助暂行办法》（国务院令第649号）第九条至第十一条；《最低生活保障审核确认办法》（民发〔2021〕57号）"
    "第二章至第三章☑；时限为地方做法（L），县级可调整"
)
DIBAO = {
    "code": "dibao",
    "title": "最低生活保障评定",
    "legal_basis": "《社会救助暂行办法》（国务院令第649号）第二章；《最低生活保障审核确认办法》（民发〔2021〕57号）",
    "conditions": "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定。",
    "source": DIBAO_SOURCE,
}
DIBAO_STEPS = [
    (1, "申请受理", "village", None, ["低保申请书", "户口簿复印件", "家庭收入和财产状况声明", "家庭经济状况核对授权书"], 0),
    (2, "入户调查", "village", 10, ["入户调查表"], 0),
    (3, "民主评议", "village", 7, ["民主评议记录"], 0),
    (4, "评议结果公示", "village", 3, [], 7),
    (5, "乡镇审核", "township", 10, ["乡镇审核意见"], 0),
    (6, "县级审批", "county", 10, ["审批决定书"], 0),
    (7, "审批结果公示", "village", 5, [], 7),
]
DECISION_SOURCE = (
    "《中国共产党农村基层组织工作条例》第十九条（村级重大事项决策实行“四议两公开”）；"
    "《村民委员会组织法》第二十四条；金额标准为地方做法（L），由县级组织部门调整"
)
DECISION_RULES = [
    ("land", "土地承包经营方案、宅基地使用方案、征地补偿费使用分配", None),
    ("assets", "村集体资产（资源）发包、租赁、出让、处置", Decimal("50000.00")),
    ("project", "村级公益事业和工程建设项目", Decimal("50000.00")),
    ("funds", "村集体经济收益分配和大额资金使用", Decimal("50000.00")),
    ("debt", "村集体举债", None),
]


def seed(apps, schema_editor):
    PowerItem = apps.get_model("governance", "PowerItem")
    PowerStep = apps.get_model("governance", "PowerStep")
    DecisionRule = apps.get_model("governance", "DecisionRule")
    item, _ = PowerItem.objects.get_or_create(org_path="", code=DIBAO["code"], defaults=DIBAO)
    for order, name, role, limit, documents, notice in DIBAO_STEPS:
        PowerStep.objects.get_or_create(
            item=item,
            order=order,
            defaults={
                "name": name,
                "role": role,
                "time_limit_days": limit,
                "required_documents": documents,
                "notice_days": notice,
            },
        )
    for matter, label, threshold in DECISION_RULES:
        DecisionRule.objects.get_or_create(
            org_path="",
            matter=matter,
            defaults={"label": label, "money_threshold": threshold, "source": DECISION_SOURCE},
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

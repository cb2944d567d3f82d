"""Rule rows of the one rule-state computation (recruitment/selectors/state.py; docs/rules.md §1):

- `stepNN.order`: step NN needs the steps listed before it (talk before activist, the filings, a
  half-yearly assessment before the development target, filing, placement and oath before the
  confirmation application).  A missing step is refused citing this rule; the approving committee may
  set it aside with an audited override (`record_gate_override`, a reason).
- `step22.application_window`: the written confirmation application no earlier than one month before
  probation ends (minimum -1 month from the probation end).
- `step17.approval_limit`: "不得超过六个月" is a hard gate, not an alert.

Only these rows are inserted or updated, in both rule sets; reversing deletes the inserted rows and
makes the approval limit an alert again.
"""

from django.db import migrations

RULE_SETS = ("fzdy-2014", "fzdy-2026")
ORDER_SOURCE = ("《中国共产党发展党员工作细则》第二章至第六章：发展党员按申请、入党积极分子、发展对象、"
                "预备党员接收、教育考察和转正的程序逐步办理，各步不得省略")
NAMES = {
    1: "递交入党申请书", 2: "派人谈话", 3: "确定入党积极分子", 4: "入党积极分子报上级党委备案", 5: "指定培养联系人",
    6: "培养教育考察", 7: "确定发展对象", 8: "发展对象报上级党委备案", 9: "确定入党介绍人", 10: "政治审查",
    11: "集中培训", 12: "支部委员会审查", 13: "上级党委预审", 14: "填写入党志愿书", 15: "支部大会讨论",
    16: "上级党委派人谈话", 17: "上级党委审批", 18: "报上级党委组织部门备案", 19: "编入党支部和党小组",
    20: "入党宣誓", 21: "继续教育考察", 22: "提出转正申请", 23: "支部大会讨论转正", 24: "上级党委审批转正",
    25: "材料归档",
}
# The same table as recruitment/services/base.py REQUIRES at the time of this migration.
REQUIRES = {
    2: {1}, 3: {1, 2}, 4: {3}, 5: {3}, 6: {3}, 7: {3, 4, 5, 6}, 8: {7}, 9: {7}, 10: {7}, 11: {7},
    12: {8, 9, 10, 11}, 13: {12}, 14: {13}, 15: {14}, 16: {15}, 17: {15, 16}, 18: {17}, 19: {17},
    20: {17}, 21: {17}, 22: {17, 18, 19, 20}, 23: {22}, 24: {23}, 25: {24},
}


def order_rows():
    for step, needs in REQUIRES.items():
        names = "、".join(f"第{n}步“{NAMES[n]}”" for n in sorted(needs))
        yield {"code": f"step{step:02d}.order", "step": step, "reference_step": None, "minimum": None,
               "maximum": None, "unit": "", "kind": "gate", "mark": "N", "enabled": True,
               "title": f"第{step}步“{NAMES[step]}”须在{names}之后办理", "source": ORDER_SOURCE}


WINDOW = {"code": "step22.application_window", "step": 22, "reference_step": 21, "minimum": -1, "maximum": None,
          "unit": "months", "kind": "gate", "mark": "L", "enabled": True,
          "title": "预备期满前一个月内（含）方可提出转正申请，不能更早",
          "source": "《中国共产党发展党员工作细则》第六章：预备党员预备期满时提出书面转正申请；"
                    "提前不超过一个月为地方做法（docs/rules.md §1）"}


def forward(apps, schema_editor):
    Rule = apps.get_model("recruitment", "Rule")
    for rule_set in RULE_SETS:
        for row in [*order_rows(), WINDOW]:
            values = {k: v for k, v in row.items() if k != "code"}
            Rule.objects.update_or_create(rule_set=rule_set, code=row["code"], defaults=values)
        Rule.objects.filter(rule_set=rule_set, code="step17.approval_limit").update(kind="gate")


def backward(apps, schema_editor):
    Rule = apps.get_model("recruitment", "Rule")
    codes = [row["code"] for row in order_rows()] + [WINDOW["code"]]
    Rule.objects.filter(rule_set__in=RULE_SETS, code__in=codes).delete()
    Rule.objects.filter(rule_set__in=RULE_SETS, code="step17.approval_limit").update(kind="alert")


class Migration(migrations.Migration):

    dependencies = [("recruitment", "0004_case_help_text_cites_regulation")]

    operations = [migrations.RunPython(forward, backward)]

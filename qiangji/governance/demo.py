"""Demo history of the governance app (registered with the generator, `qiangji generate --history`, and so at
the generator's scale, province included): each county adopts the minimum-allowance item and the default
decision list; about four villages in ten have a minimum-allowance case somewhere along its template (notices
with masked names, some with an objection waiting), about three in ten a major decision proposed or
discussed (half of those waiting for the township's pre-review, the rest signed off).

Rows are written in bulk with explicit ids (`Context.write`); the demo's applicants are invented names."""

import datetime

from qiangji.governance.models import (
    CaseStep,
    Decision,
    DecisionRule,
    Objection,
    PowerCase,
    PowerItem,
    PowerStep,
)
from qiangji.governance.selectors import mask_name
from qiangji.tooling.generate.history import Context, County, register

D = datetime.timedelta
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "桂兰", "志强", "海燕", "玉梅", "德胜", "春花", "振华", "凤英")
TITLES = ("硬化村内道路", "新建村级文化广场", "集体鱼塘承包", "村集体厂房出租", "光伏发电项目")


def _templates():
    item = PowerItem.objects.get(org_path="", code="dibao")
    return item, list(item.steps.order_by("order")), list(DecisionRule.objects.filter(org_path=""))


def county(ctx: Context, county: County) -> None:
    rng = ctx.rng(county.code, "governance")
    template, steps, rules = _templates()
    org = county.org
    item_id = ctx.take_ids(PowerItem, 1)
    ctx.write(
        PowerItem,
        [
            {
                "id": item_id,
                "org_path": org.path,
                "region_code": org.region_code,
                "code": template.code,
                "title": template.title,
                "legal_basis": template.legal_basis,
                "conditions": template.conditions,
                "source": template.source,
                "is_active": True,
            }
        ],
    )
    first = ctx.take_ids(PowerStep, len(steps))
    ctx.write(
        PowerStep,
        [
            {
                "id": first + i,
                "item_id": item_id,
                "order": s.order,
                "name": s.name,
                "role": s.role,
                "time_limit_days": s.time_limit_days,
                "required_documents": s.required_documents,
                "notice_days": s.notice_days,
            }
            for i, s in enumerate(steps)
        ],
    )
    first = ctx.take_ids(DecisionRule, len(rules))
    rule_rows = [
        {
            "id": first + i,
            "org_path": org.path,
            "region_code": org.region_code,
            "matter": r.matter,
            "label": r.label,
            "money_threshold": r.money_threshold,
            "source": r.source,
            "is_active": True,
        }
        for i, r in enumerate(rules)
    ]
    ctx.write(DecisionRule, rule_rows)
    project_rule = next(row for row in rule_rows if row["matter"] == "project")
    spec = [
        {
            "order": s.order,
            "name": s.name,
            "role": s.role,
            "time_limit_days": s.time_limit_days,
            "required_documents": list(s.required_documents),
            "notice_days": s.notice_days,
        }
        for s in steps
    ]
    villages = [o for o in county.orgs if o.category == "rural" and o.depth >= 5]
    cases, records, objections, decisions = [], [], [], []
    for village in villages:
        if rng.random() < 0.4:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            opened = ctx.as_of - D(rng.randint(20, 330))
            done = rng.randint(0, len(spec))
            day = opened
            case_records = []
            for s in spec[:done]:
                day += D(rng.randint(1, 4))
                if day > ctx.as_of:
                    break
                notice = bool(s["notice_days"])
                case_records.append(
                    {
                        "order": s["order"],
                        "name": s["name"],
                        "done_on": day,
                        "person_name": county.secretary(village) or "村党组织书记",
                        "outcome": "pass",
                        "note": "",
                        "documents": s["required_documents"],
                        "late": False,
                        "notice_text": f"{mask_name(name)}户经民主评议拟纳入最低生活保障，公示{s['notice_days']}天。"
                        if notice
                        else "",
                        "notice_from": day if notice else None,
                        "notice_to": day + D(s["notice_days"] - 1) if notice else None,
                    }
                )
                if notice:
                    day += D(s["notice_days"])
            taken = len(case_records)
            status = "completed" if taken == len(spec) else "open"
            cases.append(
                {
                    "village_id": village.id,
                    "org_path": village.path,
                    "region_code": village.region_code,
                    "item_id": item_id,
                    "applicant_name": name,
                    "subject": "申请最低生活保障",
                    "steps": spec,
                    "next_order": spec[taken]["order"] if taken < len(spec) else spec[-1]["order"],
                    "status": status,
                    "opened_on": opened,
                    "closed_on": case_records[-1]["done_on"] if status == "completed" else None,
                    "_records": case_records,
                }
            )
        if rng.random() < 0.3:
            proposed = ctx.as_of - D(rng.randint(5, 200))
            discussed = proposed + D(rng.randint(1, 5)) if rng.random() < 0.8 else None
            discussed = discussed if discussed and discussed <= ctx.as_of else None
            approved = discussed is not None and rng.random() < 0.5
            decisions.append(
                {
                    "village_id": village.id,
                    "org_path": village.path,
                    "region_code": village.region_code,
                    "rule_id": project_rule["id"],
                    "title": rng.choice(TITLES),
                    "amount": rng.choice((60000, 85000, 120000, 300000)),
                    "description": "村党组织提议，拟按村级重大事项决策程序办理",
                    "stage": "discussed" if discussed else "proposed",
                    "status": "open",
                    "proposed_on": proposed,
                    "discussed_on": discussed,
                    "discussion_note": "同意提交党员大会审议" if discussed else "",
                    "discussion_attendees": "村“两委”成员" if discussed else "",
                    "prereview": "approved" if approved else "pending",
                    "prereview_on": discussed + D(2) if approved and discussed + D(2) <= ctx.as_of else None,
                }
            )
    first = ctx.take_ids(PowerCase, len(cases))
    step_first = ctx.take_ids(CaseStep, sum(len(c["_records"]) for c in cases))
    n = 0
    for i, case in enumerate(cases):
        case["id"] = first + i
        case["number"] = f"XW{case['opened_on']:%Y}{case['id']:07d}"
        for record in case.pop("_records"):
            records.append(
                {
                    "id": step_first + n,
                    "case_id": case["id"],
                    "org_path": case["org_path"],
                    "region_code": case["region_code"],
                    **record,
                }
            )
            n += 1
            if record["notice_from"] and record["notice_to"] >= ctx.as_of - D(3) and rng.random() < 0.3:
                objections.append(
                    {
                        "case_id": case["id"],
                        "notice_id": records[-1]["id"],
                        "org_path": case["org_path"],
                        "region_code": case["region_code"],
                        "received_on": min(record["notice_from"] + D(1), ctx.as_of),
                        "content": "反映该户有经营性收入，请核实",
                        "status": "open",
                        "resolution": "",
                    }
                )
    ctx.write(PowerCase, cases)
    ctx.write(CaseStep, records)
    if objections:
        first = ctx.take_ids(Objection, len(objections))
        for i, row in enumerate(objections):
            row["id"] = first + i
        ctx.write(Objection, objections)
    first = ctx.take_ids(Decision, len(decisions))
    for i, row in enumerate(decisions):
        row["id"] = first + i
        row["number"] = f"SY{row['proposed_on']:%Y}{row['id']:07d}"
    ctx.write(Decision, decisions)


register(
    "governance",
    order=60,
    county=county,
    tables={
        "小微权力事项办理": (PowerCase, "org_path"),
        "村级重大事项": (Decision, "org_path"),
        "小微权力清单": (PowerItem, "org_path"),
    },
)

"""The national (N), reported (R) and local-default (L) parameters of 《中国共产党发展党员工作细则》 (docs/rules.md §1), by rule set.

Seeded into `Rule` by migration 0002 (sources rewritten by 0006_authority_rules); an administrator may
switch L rules on and make any rule stricter (`RuleOverride`), never looser.

Citations.  Article numbers are those of the 2014 《中国共产党发展党员工作细则》 (2014-06-10, 中办发) as the
project's reference notes give them; "☑" after an article means it was read only in secondary copies
(check the official text).  A `fzdy-2026` row cites 《中国共产党发展党员工作细则》（2026年修订）; where the
2026 text is not available its article is "暂据2014年版第N条" (provisional: 2014 article N), never the
2014 document as if it were the 2026 one.  The changes reported on publication (2026-05-18) are R.

Authority (`AUTHORITY`): who may pre-review, approve admission, approve confirmation, approve an
extension of probation and issue admission-form numbers, seeded into `AuthorityRule`.
"""

XIZE = "《中国共产党发展党员工作细则》"
XIZE_2014 = XIZE  # the 2014 text (中办发, 2014-06-10) is the one the unqualified title names
XIZE_2026 = "《中国共产党发展党员工作细则》（2026年修订）"
PROVISIONAL_2026 = "暂据2014年版"

# (code, step, reference_step, minimum, maximum, unit, kind, mark, enabled, title, source)
COMMON = [
    ("step01.min_age", 1, None, 18, None, "years", "gate", "N", True,
     "递交入党申请书时年满18周岁", "第五条：年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子"),
    ("step02.talk_within", 2, 1, None, 1, "months", "alert", "N", True,
     "收到入党申请书后一个月内派人谈话", "第七条：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话"),
    ("step03.activist_after_application", 3, 1, 6, None, "months", "alert", "L", False,
     "递交申请书半年后方可确定为入党积极分子", "地方做法（默认关闭）"),
    ("step03.notice_min", 3, None, 5, None, "working_days", "gate", "L", False,
     "确定入党积极分子前公示不少于5个工作日", "地方做法（默认关闭）"),
    ("step03.notice_closed", 3, None, None, None, "", "gate", "L", True,
     "公示期满且反映的问题均已处理，方可进行下一步", "地方做法：公示期内反映的问题须查清处理"),
    ("step05.mentor_count", 5, None, 1, 2, "", "gate", "N", True,
     "指定一至两名正式党员作培养联系人", "第九条☑：党组织应当指定一至两名正式党员作入党积极分子的培养联系人"),
    ("step05.mentor_full_member", 5, None, None, None, "", "gate", "N", True,
     "培养联系人须为正式党员", "第九条☑"),
    ("step06.assessment_interval", 6, 6, None, 6, "months", "alert", "N", True,
     "每半年对入党积极分子进行一次考察", "第十条、第十一条☑：党支部每半年对入党积极分子进行一次考察"),
    ("step07.activist_min_period", 7, 3, 1, None, "years", "gate", "N", True,
     "经过一年以上培养教育和考察方可确定为发展对象", "第十三条：对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子"),
    ("step09.sponsor_count", 9, None, 2, 2, "", "gate", "N", True,
     "发展对象应有两名正式党员作入党介绍人", "第十四条：发展对象应当有两名正式党员作入党介绍人"),
    ("step09.sponsor_standing", 9, None, None, None, "", "gate", "N", True,
     "受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人",
     "第十四条：受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人；《中国共产党章程》第四十条"),
    ("step10.vetting_passed", 13, None, None, None, "", "gate", "N", True,
     "政治审查须形成结论且合格，方可预审", "第十六条、第十七条☑：政治审查不合格的，不能发展入党"),
    ("step11.training_min_days", 13, None, 3, None, "days", "gate", "N", True,
     "集中培训不少于3天（或不少于24学时）", "第十八条☑：培训时间一般不少于三天（或不少于二十四个学时）"),
    ("step11.training_min_hours", 13, None, 24, None, "hours", "gate", "N", True,
     "集中培训不少于24学时（或不少于3天）", "第十八条☑"),
    ("step13.pre_review_passed", 14, None, None, None, "", "gate", "N", True,
     "预审合格后方可发放入党志愿书", "第十九条：经预审合格的发展对象，由基层党委向其发放《中国共产党入党志愿书》"),
    ("step13.leaving_unit", 13, None, None, 3, "months", "warning", "N", True,
     "3个月内将离开工作、学习单位的，一般不办理接收手续", "第十九条"),
    ("step15.notice_min", 15, None, 5, None, "working_days", "gate", "L", False,
     "接收预备党员前公示不少于5个工作日", "地方做法（默认关闭）"),
    ("step15.notice_closed", 15, None, None, None, "", "gate", "L", True,
     "公示期满且反映的问题均已处理，方可召开支部大会", "地方做法"),
    ("step15.min_full_members", 15, None, 3, None, "", "gate", "N", True,
     "正式党员不足3人的党支部不能召开支部大会讨论接收预备党员，也不能借用其他支部党员",
     "第二十条、第二十一条及《中国共产党支部工作条例（试行）》"),
    ("step15.quorum", 15, None, None, None, "", "gate", "N", True,
     "到会有表决权的党员须超过应到会有表决权党员的半数", "第二十条、第二十一条"),
    ("step15.majority", 15, None, None, None, "", "gate", "N", True,
     "赞成人数须超过应到会有表决权的正式党员的半数（含书面意见）", "第二十条、第二十一条：以赞成人数超过应到会有表决权的正式党员的半数，才能通过"),
    ("step13.reviewer_kind", 13, None, None, None, "", "gate", "N", True,
     "预审须由具有审批权限的基层党委办理，党总支不能预审", "第十九条：由具有审批权限的基层党委对发展对象进行预审"),
    ("step14.issuer_kind", 14, None, None, None, "", "gate", "N", True,
     "入党志愿书编号由具有审批权限的基层党委发放", "第二十条☑"),
    ("step23.extension_approver_kind", 23, None, None, None, "", "gate", "N", True,
     "延长预备期须由具有审批权限的基层党委审批", "第三十三条☑、第三十四条☑"),
    ("step24.approver_kind", 24, None, None, None, "", "gate", "N", True,
     "预备党员转正须由具有审批权限的基层党委审批，党总支不能审批", "第三十四条☑"),
    ("step17.approver_kind", 17, None, None, None, "", "gate", "N", True,
     "党总支、隶属乡镇党委的村党组织、隶属街道党工委的社区党组织不能审批预备党员",
     "第二十四条、第二十五条☑：发展党员应当由基层党委审批，党总支和隶属乡镇党委的村党组织不能审批"),
    ("step17.approval_within", 17, 15, None, 3, "months", "alert", "N", True,
     "支部大会通过后3个月内审批", "第二十四条、第二十五条☑：上级党委应当在三个月内审批"),
    ("step17.approval_limit", 17, 15, None, 6, "months", "gate", "N", True,
     "审批时间最长不得超过6个月", "第二十四条、第二十五条☑：可适当延长审批时间，但不得超过六个月"),
    ("step21.probation_period", 21, 15, 1, None, "years", "gate", "N", True,
     "预备期为一年，自支部大会通过之日起算", "第三十二条"),
    ("step23.notice_min", 23, None, 5, None, "working_days", "gate", "L", False,
     "预备党员转正前公示不少于5个工作日", "地方做法（默认关闭）"),
    ("step23.notice_closed", 23, None, None, None, "", "gate", "L", True,
     "公示期满且反映的问题均已处理，方可讨论转正", "地方做法"),
    ("step23.meeting_within", 23, 21, None, 1, "months", "alert", "L", True,
     "预备期满后一个月内召开支部大会讨论转正", "地方做法"),
    ("step23.meeting_limit", 23, 21, None, 3, "months", "alert", "L", True,
     "讨论转正最迟不超过预备期满后3个月", "地方做法"),
    ("step23.quorum", 23, None, None, None, "", "gate", "N", True,
     "到会有表决权的党员须超过应到会有表决权党员的半数", "第三十三条☑"),
    ("step23.majority", 23, None, None, None, "", "gate", "N", True,
     "赞成人数须超过应到会有表决权的正式党员的半数（含书面意见）", "第三十三条☑"),
    ("step23.min_full_members", 23, None, 3, None, "", "gate", "N", True,
     "正式党员不足3人的党支部不能召开支部大会讨论转正", "第三十三条☑"),
    ("step23.extension", 23, None, 6, 12, "months", "gate", "N", True,
     "延长预备期只能一次，最短半年，最长不超过一年", "第三十三条☑；《中国共产党章程》第七条"),
    ("step24.approval_within", 24, 23, None, 3, "months", "alert", "N", True,
     "支部大会通过转正后3个月内审批", "第三十四条☑"),
    ("step25.archive_checklist", 25, None, None, None, "", "warning", "N", True,
     "档案应有入党志愿书、入党申请书、政治审查材料、转正申请书和培养教育考察材料", "第三十七条"),
]

ONLY_2014 = [
    ("step07.notice_min", 7, None, 5, None, "working_days", "gate", "L", False,
     "确定发展对象前公示不少于5个工作日", "地方做法（默认关闭）"),
    ("step07.notice_closed", 7, None, None, None, "", "gate", "L", True,
     "公示期满且反映的问题均已处理，方可确定发展对象", "地方做法"),
]

ONLY_2026 = [
    ("step07.notice_min", 7, None, 5, None, "working_days", "gate", "R", True,
     "确定发展对象前须公示不少于5个工作日", XIZE_2026 + "第十三条（据公开报道）：确定发展对象前进行公示"),
    ("step07.notice_closed", 7, None, None, None, "", "gate", "R", True,
     "公示期满且反映的问题均已处理，方可确定发展对象", XIZE_2026 + "第十三条（据公开报道）"),
    ("step07.higher_consent", 7, None, None, None, "", "gate", "R", True,
     "确定发展对象须先征得上级党委同意", XIZE_2026 + "第十三条（据公开报道）：确定发展对象须经上级党委同意"),
    ("step15.within_after_pre_review", 15, 13, None, 1, "months", "gate", "R", True,
     "预审通过后一个月内召开支部大会讨论", XIZE_2026 + "（据公开报道，条号待核）"),
    ("step20.oath_within", 20, 17, None, 1, "months", "alert", "R", True,
     "上级党委批准后一般一个月内组织入党宣誓", XIZE_2026 + "（据公开报道，条号待核）"),
]


def cite(rule_set: str, source: str, mark: str) -> str:
    """The seeded `source` text: an N row's article under the rule set's document ("第九条☑：…" becomes
    "《中国共产党发展党员工作细则》第九条☑：…" for fzdy-2014 and "《…》（2026年修订）暂据2014年版第九条☑：…"
    for fzdy-2026); a text that already names its document (or a local practice) is kept."""
    if source.startswith("《") or mark != "N":
        return source
    if rule_set == "fzdy-2026":
        return f"{XIZE_2026}{PROVISIONAL_2026}{source}"
    return f"{XIZE_2014}{source}"


def rows():
    """(rule_set, fields dict) for every seeded rule."""
    keys = ("code", "step", "reference_step", "minimum", "maximum", "unit", "kind", "mark", "enabled",
            "title", "source")
    for rule_set, extra in (("fzdy-2014", ONLY_2014), ("fzdy-2026", ONLY_2026)):
        for row in COMMON + extra:
            values = dict(zip(keys, row, strict=True))
            values["source"] = cite(rule_set, values["source"], values["mark"])
            yield rule_set, values


# --- authority (who may sign), seeded into AuthorityRule -----------------------------------------

# action → (the Rule code a refusal cites, what is refused, article)
AUTHORITY_ACTIONS = {
    "pre_review": ("step13.reviewer_kind", "预审", "第十九条：由具有审批权限的基层党委对发展对象进行预审"),
    "approval": ("step17.approver_kind", "审批预备党员",
                 "第二十四条、第二十五条☑：发展党员应当由基层党委审批，党总支和隶属乡镇党委的村党组织不能审批"),
    "confirmation_approval": ("step24.approver_kind", "审批预备党员转正",
                              "第三十四条☑：预备党员转正由具有审批权限的基层党委审批"),
    "extension": ("step23.extension_approver_kind", "审批延长预备期",
                  "第三十三条☑、第三十四条☑：延长预备期由支部大会讨论、具有审批权限的基层党委审批"),
    "form_numbers": ("step14.issuer_kind", "发放入党志愿书编号",
                     "第十九条、第二十条☑：入党志愿书由具有审批权限的基层党委（或县级党委组织部门）统一编号发放"),
}
# (org_kind, org_category, parent_category, allowed, reason) — the same for every action; the
# county organisation department is a 党委 (kind committee) and so may issue form numbers and sign.
AUTHORITY_KINDS = [
    ("committee", "", "", True, ""),
    ("working_committee", "", "", True, ""),
    ("industry_committee", "", "", True, ""),
    ("committee", "rural", "rural", False, "隶属乡镇党委的村级党组织"),
    ("committee", "community", "community", False, "隶属街道党工委的社区党组织"),
    ("general_branch", "", "", False, "党总支"),
    ("leading_group", "", "", False, "党组，不是基层党委"),
]


def authority_rows():
    """(fields dict) for every seeded AuthorityRule, in both rule sets."""
    for rule_set in ("fzdy-2014", "fzdy-2026"):
        for action, (code, _label, article) in AUTHORITY_ACTIONS.items():
            for kind, category, parent_category, allowed, reason in AUTHORITY_KINDS:
                yield {"rule_set": rule_set, "action": action, "org_kind": kind, "org_category": category,
                       "parent_category": parent_category, "allowed": allowed, "rule_code": code,
                       "reason": reason, "source": cite(rule_set, article, "N")}

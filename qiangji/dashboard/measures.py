"""The columns of the rollup tables: counts and sums only (never ratios), so a parent is the SUM of its
children plus its own rows.  Two families (ADR 0008):

* STOCK — a state "as of" the refresh (members on the roll, cases in the pipeline, arrears …).  The
  current month's row is recomputed; a past month keeps the values of its last refresh (a snapshot).
* FLOW — events dated inside a month (applications, admissions, meetings held, dues paid …), recomputed
  for every month kept (24) from the dated base rows, so the trend of a flow is exact from the start.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    decimal: bool = False
    # "sum": parent = own + SUM(children).  "plan": the plan of the highest planning level wins
    # (a county's plan is not added to its branches' plans, which break it down — recruitment.selectors.plans).
    aggregate: str = "sum"


def _m(name, label, **kw):
    return Measure(name, label, **kw)


STOCK = (
    _m("orgs", "党组织数"),
    _m("branches", "党支部数"),
    _m("m_on_roll", "在册党员"),
    _m("m_full", "正式党员"),
    _m("m_probationary", "预备党员"),
    _m("m_lost_contact", "失去联系党员"),
    _m("m_suspended", "停止党籍党员"),
    _m("m_male", "男党员"),
    _m("m_female", "女党员"),
    _m("m_age_35", "35岁及以下"),
    _m("m_age_36_45", "36至45岁"),
    _m("m_age_46_60", "46至60岁"),
    _m("m_age_61", "61岁及以上"),
    _m("m_edu_postgraduate", "研究生"),
    _m("m_edu_university", "大学本科"),
    _m("m_edu_college", "大学专科"),
    _m("m_edu_secondary", "中专、技校、高中"),
    _m("m_edu_basic", "初中及以下、其他"),
    _m("m_edu_unknown", "学历未填"),
    _m("m_han", "汉族"),
    _m("m_minority", "少数民族"),
    _m("m_ethnicity_unknown", "民族未填"),
    _m("m_post_civil_servant", "公务员"),
    _m("m_post_public_institution", "事业单位人员"),
    _m("m_post_enterprise", "企业人员"),
    _m("m_post_farmer", "农牧渔民"),
    _m("m_post_new_employment", "新就业群体"),
    _m("m_post_student", "学生"),
    _m("m_post_retired", "离退休人员"),
    _m("m_post_other", "其他岗位"),
    _m("m_post_unknown", "岗位未填"),
    _m("m_completeness_sum", "信息完整度合计"),
    _m("m_mobile", "流动党员标记"),
    _m("dev_stage_1", "申请入党"),
    _m("dev_stage_2", "入党积极分子"),
    _m("dev_stage_3", "发展对象"),
    _m("dev_stage_4", "预备党员的接收"),
    _m("dev_stage_5", "预备期"),
    _m("dev_overdue", "发展党员逾期步骤"),
    _m("dev_planned", "年度发展计划", aggregate="plan"),
    _m("dev_admitted_ytd", "本年已发展"),
    _m("mob_out", "流出党员"),
    _m("mob_in", "流入党员"),
    _m("mob_unaccounted", "流出未落实"),
    _m("dues_due_members", "应交党费人数"),
    _m("dues_due_amount", "应交党费金额", decimal=True),
    _m("dues_arrears_6m", "欠交党费6个月以上"),
    _m("term_overdue", "届期已满未换届"),
)

FLOW = (
    _m("dev_applied", "递交入党申请"),
    _m("dev_admitted", "发展预备党员"),
    _m("dev_confirmed", "预备党员转正"),
    _m("life_meetings", "召开会议"),
    _m("life_due_sum", "应到人次"),
    _m("life_present_sum", "实到人次"),
    _m("life_branches_due", "应开会支部"),
    _m("life_branches_ok", "按规定开会支部"),
    _m("life_branches_missing", "缺少规定会议支部"),
    _m("dues_paid_members", "已交党费人数"),
    _m("dues_paid_amount", "已交党费金额", decimal=True),
)

STOCK_NAMES = tuple(m.name for m in STOCK)
FLOW_NAMES = tuple(m.name for m in FLOW)
BY_NAME = {m.name: m for m in STOCK + FLOW}

"""The headline figures of the dashboard (issue #6 item 1): what each means and how it is computed from
the rollup columns (measures.py).  Ratios are computed when read, from summed numerators and
denominators, so a parent's ratio is exact (never an average of its children's ratios).

`period`: "now" reads the current month's stock row; "last_month" reads the last COMPLETE month
(a month in progress would show every branch as not yet having met, and dues not yet due as unpaid).
In a trend every month reads its own rows.
"""

from dataclasses import dataclass, field

# Exception kinds: each is an indicator whose value counts records a list can show (H5's exception lists).
EXCEPTION_KINDS = ("dev_overdue", "life_missing", "term_overdue", "dues_arrears_6m", "mobile_unaccounted")


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str  # "人", "个", "项", "%"
    group: str
    better: str  # "high" | "low"
    exception: str | None
    how: str  # how it is computed, shown in the data-quality note
    numerator: tuple[str, ...]  # "table.column": table is stock | flow
    denominator: tuple[str, ...] = ()
    period: str = "now"  # "now" | "last_month"
    scale: int = 1  # denominator multiplier (completeness is stored in points of 100)
    quality: tuple[tuple[str, ...], tuple[str, ...]] | None = field(default=None)  # (known, of) columns

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)


def _i(
    code,
    label,
    unit,
    group,
    better,
    how,
    numerator,
    denominator=(),
    *,
    exception=None,
    period="now",
    scale=1,
    quality=None,
) -> Indicator:
    return Indicator(
        code,
        label,
        unit,
        group,
        better,
        exception,
        how,
        tuple(numerator),
        tuple(denominator),
        period,
        scale,
        quality,
    )


ON_ROLL = ("stock.m_on_roll",)
POSTS_KNOWN = tuple(
    f"stock.m_post_{name}"
    for name in (
        "civil_servant",
        "public_institution",
        "enterprise",
        "farmer",
        "new_employment",
        "student",
        "retired",
        "other",
    )
)
INDICATORS = [
    _i(
        "members",
        "在册党员",
        "人",
        "党员队伍",
        "high",
        "正式党员、预备党员和失去联系党员之和（不含停止党籍、出党、去世）",
        ON_ROLL,
    ),
    _i(
        "probationary",
        "预备党员",
        "人",
        "党员队伍",
        "high",
        "状态为预备党员的人数",
        ("stock.m_probationary",),
    ),
    _i(
        "female_share",
        "女党员占比",
        "%",
        "党员队伍",
        "high",
        "女党员 ÷ 在册党员",
        ("stock.m_female",),
        ON_ROLL,
    ),
    _i(
        "minority_share",
        "少数民族党员占比",
        "%",
        "党员队伍",
        "high",
        "少数民族党员 ÷ 填写了民族的在册党员",
        ("stock.m_minority",),
        ("stock.m_han", "stock.m_minority"),
        quality=(("stock.m_han", "stock.m_minority"), ON_ROLL),
    ),
    _i(
        "young_share",
        "35岁及以下党员占比",
        "%",
        "党员队伍",
        "high",
        "按出生日期计算的周岁年龄，35岁及以下 ÷ 在册党员",
        ("stock.m_age_35",),
        ON_ROLL,
    ),
    _i(
        "college_share",
        "大专及以上学历占比",
        "%",
        "党员队伍",
        "high",
        "研究生、大学本科、大学专科 ÷ 填写了学历的在册党员（GB/T 4658）",
        ("stock.m_edu_postgraduate", "stock.m_edu_university", "stock.m_edu_college"),
        (
            "stock.m_edu_postgraduate",
            "stock.m_edu_university",
            "stock.m_edu_college",
            "stock.m_edu_secondary",
            "stock.m_edu_basic",
        ),
        quality=(
            (
                "stock.m_edu_postgraduate",
                "stock.m_edu_university",
                "stock.m_edu_college",
                "stock.m_edu_secondary",
                "stock.m_edu_basic",
            ),
            ON_ROLL,
        ),
    ),
    _i(
        "new_employment",
        "新就业群体党员",
        "人",
        "党员队伍",
        "high",
        "工作岗位为新就业群体（0510）的在册党员",
        ("stock.m_post_new_employment",),
        quality=(POSTS_KNOWN, ON_ROLL),
    ),
    _i(
        "dev_pipeline",
        "发展党员在途",
        "人",
        "发展党员",
        "high",
        "培养中和预备期内的发展对象（第1至5阶段）",
        tuple(f"stock.dev_stage_{n}" for n in range(1, 6)),
    ),
    _i(
        "dev_overdue",
        "发展党员逾期步骤",
        "项",
        "发展党员",
        "low",
        "按发展党员工作细则的时限规则（recruitment Rule 表）已逾期未办的步骤数",
        ("stock.dev_overdue",),
        exception="dev_overdue",
    ),
    _i(
        "plan_completion",
        "年度发展计划完成率",
        "%",
        "发展党员",
        "high",
        "本年支部大会通过接收的预备党员 ÷ 年度发展计划（取最高一级计划）",
        ("stock.dev_admitted_ytd",),
        ("stock.dev_planned",),
    ),
    _i(
        "life_compliance",
        "组织生活达标率",
        "%",
        "组织生活",
        "high",
        "上月按规定召开全部应开会议的支部 ÷ 应开会支部（life MeetingType 规则，含地方从严设置和豁免）",
        ("flow.life_branches_ok",),
        ("flow.life_branches_due",),
        period="last_month",
    ),
    _i(
        "life_missing",
        "缺少规定会议的支部",
        "个",
        "组织生活",
        "low",
        "上月未召开应开会议的支部数",
        ("flow.life_branches_missing",),
        exception="life_missing",
        period="last_month",
    ),
    _i(
        "attendance_rate",
        "组织生活参会率",
        "%",
        "组织生活",
        "high",
        "上月已召开会议的实到人次 ÷ 应到人次",
        ("flow.life_present_sum",),
        ("flow.life_due_sum",),
        period="last_month",
    ),
    _i(
        "mobile_out",
        "流出党员",
        "人",
        "流动党员",
        "high",
        "本组织登记外出、尚未返回的流动党员",
        ("stock.mob_out",),
    ),
    _i("mobile_in", "流入党员", "人", "流动党员", "high", "流入本组织并已接收的流动党员", ("stock.mob_in",)),
    _i(
        "mobile_unaccounted",
        "流出未落实党员",
        "人",
        "流动党员",
        "low",
        "已登记外出、流入地尚未接收的流动党员",
        ("stock.mob_unaccounted",),
        exception="mobile_unaccounted",
    ),
    _i(
        "dues_rate",
        "党费收缴率",
        "%",
        "党费",
        "high",
        "上月已交党费金额 ÷ 上月应交金额（减免后金额优先，否则最新基数；dfgd-2008）",
        ("flow.dues_paid_amount",),
        ("stock.dues_due_amount",),
        period="last_month",
    ),
    _i(
        "dues_arrears_6m",
        "欠交党费6个月以上",
        "人",
        "党费",
        "low",
        "最早未交月份早于6个月前的党员（dues 欠费规则，docs/rules.md §5）",
        ("stock.dues_arrears_6m",),
        exception="dues_arrears_6m",
    ),
    _i(
        "completeness",
        "党员信息完整度",
        "%",
        "数据质量",
        "high",
        "在册党员档案信息完整度的平均值",
        ("stock.m_completeness_sum",),
        ON_ROLL,
        scale=100,
    ),
    _i(
        "term_overdue",
        "届期已满未换届",
        "个",
        "组织建设",
        "low",
        "现任委员会任期届满日已过、尚未换届的党组织（docs/rules.md §2 任期）",
        ("stock.term_overdue",),
        exception="term_overdue",
    ),
    _i(
        "branches",
        "党支部",
        "个",
        "组织建设",
        "high",
        "未撤销的党支部（含联合、临时、流动党员党支部）",
        ("stock.branches",),
    ),
]

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
EXCEPTION_INDICATOR = {indicator.exception: indicator for indicator in INDICATORS if indicator.exception}

"""Code tables of the development pipeline (《中国共产党发展党员工作细则》; docs/rules.md §1: 5 stages, 25 steps).

`STEPS` is the one table of the 25 steps: number, API code, Chinese name and stage.  `REFERENCE_FIELDS`
says which dated column of `Case` holds the date of a step, so that rules ("within N of step R")
can be evaluated set-wise in SQL against `Case` rows without reading the step records.
"""

from django.db import models


class Stage(models.IntegerChoices):
    APPLICATION = 1, "申请入党"
    ACTIVIST = 2, "入党积极分子的确定和培养教育"
    TARGET = 3, "发展对象的确定和考察"
    ADMISSION = 4, "预备党员的接收"
    PROBATION = 5, "预备党员的教育考察和转正"


# (number, code, name, stage) — fzdy-2014 第1–25步, unchanged in number by fzdy-2026.
STEPS = (
    (1, "application", "递交入党申请书", Stage.APPLICATION),
    (2, "talk", "派人谈话", Stage.APPLICATION),
    (3, "activist", "确定入党积极分子", Stage.ACTIVIST),
    (4, "activist_filing", "入党积极分子报上级党委备案", Stage.ACTIVIST),
    (5, "mentors", "指定培养联系人", Stage.ACTIVIST),
    (6, "assessment", "培养教育考察", Stage.ACTIVIST),
    (7, "target", "确定发展对象", Stage.TARGET),
    (8, "target_filing", "发展对象报上级党委备案", Stage.TARGET),
    (9, "sponsors", "确定入党介绍人", Stage.TARGET),
    (10, "vetting", "政治审查", Stage.TARGET),
    (11, "training", "集中培训", Stage.TARGET),
    (12, "branch_review", "支部委员会审查", Stage.ADMISSION),
    (13, "pre_review", "上级党委预审", Stage.ADMISSION),
    (14, "admission_form", "填写入党志愿书", Stage.ADMISSION),
    (15, "branch_meeting", "支部大会讨论", Stage.ADMISSION),
    (16, "higher_talk", "上级党委派人谈话", Stage.ADMISSION),
    (17, "approval", "上级党委审批", Stage.ADMISSION),
    (18, "approval_filing", "报上级党委组织部门备案", Stage.ADMISSION),
    (19, "placement", "编入党支部和党小组", Stage.ADMISSION),
    (20, "oath", "入党宣誓", Stage.ADMISSION),
    (21, "probation", "继续教育考察", Stage.PROBATION),
    (22, "confirmation_application", "提出转正申请", Stage.PROBATION),
    (23, "confirmation_meeting", "支部大会讨论转正", Stage.PROBATION),
    (24, "confirmation_approval", "上级党委审批转正", Stage.PROBATION),
    (25, "archive", "材料归档", Stage.PROBATION),
)
STEP_CODES = {code: number for number, code, _name, _stage in STEPS}
STEP_NAMES = {number: name for number, _code, name, _stage in STEPS}
STEP_STAGES = {number: stage for number, _code, _name, stage in STEPS}
CODE_OF_STEP = {number: code for number, code, _name, _stage in STEPS}
STEP_CHOICES = [(number, f"第{number}步 {name}") for number, _code, name, _stage in STEPS]
# Steps that may be recorded more than once (half-yearly assessments, talks, training sessions).
REPEATABLE_STEPS = frozenset({2, 6, 11, 21})

# Date column of Case holding the (latest) date of a step; rules reference these.
REFERENCE_FIELDS = {
    1: "applied_on",
    2: "talked_on",
    3: "activist_on",
    6: "last_assessment_on",
    7: "target_on",
    13: "pre_reviewed_on",
    15: "admitted_on",
    17: "approved_on",
    20: "oath_on",
    21: "probation_ends_on",
    23: "confirmed_on",
    24: "confirmation_approved_on",
    25: "archived_on",
}


class CaseStatus(models.TextChoices):
    OPEN = "open", "培养中"
    PROBATIONARY = "probationary", "预备期"
    CONFIRMED = "confirmed", "已转正"
    CANCELLED = "cancelled", "已取消预备党员资格"
    WITHDRAWN = "withdrawn", "已终止"
    ARCHIVED = "archived", "已归档"


ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.PROBATIONARY, CaseStatus.CONFIRMED)


class PlanGroup(models.TextChoices):
    YOUNG_FARMER = "young_farmer", "青年农民"
    INDUSTRIAL_WORKER = "industrial_worker", "产业工人"
    TALENT = "talent", "高知识群体"
    STUDENT = "student", "学生"
    OTHER = "other", "其他"


class Unit(models.TextChoices):
    DAYS = "days", "日"
    WORKING_DAYS = "working_days", "工作日"
    MONTHS = "months", "个月"
    YEARS = "years", "年"
    HOURS = "hours", "学时"


class RuleKind(models.TextChoices):
    GATE = "gate", "硬性关卡"
    ALERT = "alert", "逾期提醒"
    WARNING = "warning", "提示"


class Mark(models.TextChoices):
    NATIONAL = "N", "全国规定（已核实）"
    REPORTED = "R", "公开报道（默认值，可调整）"
    LOCAL = "L", "地方做法（可配置默认值）"


class Outcome(models.TextChoices):
    DONE = "done", "已完成"
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"
    RETURN = "return", "退回补充"


class SignOffLevel(models.TextChoices):
    BRANCH_COMMITTEE = "branch_committee", "支部委员会审查"
    PRE_REVIEW = "pre_review", "基层党委预审"
    APPROVAL = "approval", "基层党委审批"
    FILING = "filing", "报上级组织部门备案"
    CONSENT = "consent", "上级党委同意（确定发展对象前）"
    CONFIRMATION_APPROVAL = "confirmation_approval", "基层党委审批转正"


class MentorRole(models.TextChoices):
    GENERAL = "general", "培养联系人"
    POLITICAL = "political", "政治培养联系人"
    PROFESSIONAL = "professional", "业务培养联系人"


class NoticePurpose(models.TextChoices):
    ACTIVIST = "activist", "确定入党积极分子前公示"
    TARGET = "target", "确定发展对象前公示"
    ADMISSION = "admission", "接收预备党员前公示"
    CONFIRMATION = "confirmation", "预备党员转正前公示"


# The step a notice must precede (the notice blocks that step until closed and objections resolved).
NOTICE_BLOCKS_STEP = {
    NoticePurpose.ACTIVIST: 3,
    NoticePurpose.TARGET: 7,
    NoticePurpose.ADMISSION: 15,
    NoticePurpose.CONFIRMATION: 23,
}


class MeetingPurpose(models.TextChoices):
    ADMISSION = "admission", "讨论接收预备党员"
    CONFIRMATION = "confirmation", "讨论预备党员转正"


class ProbationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "按期转为正式党员"
    EXTENDED = "extended", "延长预备期"
    CANCELLED = "cancelled", "取消预备党员资格"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", "入党申请书"
    ADMISSION_FORM = "admission_form", "入党志愿书"
    VETTING = "vetting", "政治审查材料"
    CONFIRMATION_APPLICATION = "confirmation_application", "转正申请书"
    TRAINING = "training", "培养教育考察材料"
    NOTICE = "notice", "公示材料"
    OTHER = "other", "其他"


# Step 25 checklist (docs/rules.md §1 step 25, fzdy-2014 第25步): what the archived file must hold.
ARCHIVE_CHECKLIST = (
    DocumentKind.ADMISSION_FORM,
    DocumentKind.APPLICATION,
    DocumentKind.VETTING,
    DocumentKind.CONFIRMATION_APPLICATION,
    DocumentKind.TRAINING,
)


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    CORRECTED = "corrected", "已整改"
    ACCEPTED = "accepted", "已验收"

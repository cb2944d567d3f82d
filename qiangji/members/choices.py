"""Code tables for the national member items (docs/rules.md §7)."""

from django.db import models


class Sex(models.TextChoices):  # GB/T 2261.1
    MALE = "1", "男"
    FEMALE = "2", "女"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"
    SUSPENDED = "suspended", "停止党籍"
    LOST_CONTACT = "lost_contact", "失去联系"
    LEFT = "left", "已出党"
    DECEASED = "deceased", "已去世"
    TRANSFERRED_OUT = "transferred_out", "已转出（组织关系转往平台外）"


ON_ROLL = frozenset({MemberStatus.PROBATIONARY, MemberStatus.FULL, MemberStatus.LOST_CONTACT})


class PoliticalStatus(models.TextChoices):  # GB/T 4762
    MEMBER = "01", "中共党员"
    PROBATIONARY = "02", "中共预备党员"
    LEAGUE = "03", "共青团员"
    MASSES = "13", "群众"


class Category(models.TextChoices):
    """人员类别 on the national collection form."""

    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class Education(models.TextChoices):  # GB/T 4658 (two-digit level codes)
    POSTGRADUATE = "10", "研究生"
    DOCTORATE = "11", "博士研究生"
    MASTER = "14", "硕士研究生"
    UNIVERSITY = "20", "大学本科"
    COLLEGE = "30", "大学专科"
    SECONDARY_VOCATIONAL = "40", "中等专科"
    TECHNICAL = "50", "技工学校"
    HIGH_SCHOOL = "60", "高中"
    JUNIOR_HIGH = "70", "初中"
    PRIMARY = "80", "小学"
    OTHER = "90", "其他"


class Post(models.TextChoices):
    """工作岗位 (four-digit codes of the national collection form; the common ones)."""

    CIVIL_SERVANT = "0110", "公务员"
    PUBLIC_INSTITUTION_MANAGER = "0210", "事业单位管理人员"
    PROFESSIONAL = "0220", "专业技术人员"
    ENTERPRISE_MANAGER = "0310", "企业管理人员"
    WORKER = "0320", "工勤技能人员"
    FARMER = "0400", "农牧渔民"
    SELF_EMPLOYED = "0500", "个体工商户"
    NEW_EMPLOYMENT = "0510", "新就业群体（快递员、外卖骑手、网约车司机、货车司机等）"
    SOCIAL_ORGANISATION = "0600", "社会组织从业人员"
    STUDENT = "0700", "学生"
    MILITARY = "0800", "军人武警"
    RETIRED = "0900", "离退休人员"
    OTHER = "9900", "其他"


class MembershipStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    SUSPENDED = "suspended", "停止党籍"


class RecordKind(models.TextChoices):
    REWARD = "reward", "奖励"
    PUNISHMENT = "punishment", "处分"


ETHNICITIES = [
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
]

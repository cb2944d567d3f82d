"""What every education service shares: audit labels, half-hour arithmetic, the learner behind a user."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.scoping import NOT_FOUND, scope_of
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member

ACTION_LABELS = {
    "education.entry.recorded": "登记培训学时",
    "education.entry.credited": "计入学时",
    "education.course.created": "新建网络课程",
    "education.course.published": "发布网络课程",
    "education.chapter.added": "上传课程章节",
    "education.session.started": "开始学习课程章节",
    "education.check.answered": "回答随学检查",
    "education.chapter.completed": "完成课程章节",
    "education.session.closed_stale": "关闭长时间无心跳的学习会话",
    "education.site.registered": "登记教学阵地",
    "education.class.planned": "计划培训班次",
    "education.class.quota_set": "分配班次名额",
    "education.class.enrolled": "班次报名",
    "education.class.session_added": "安排课次",
    "education.class.funded": "登记培训经费",
    "education.class.checked_in": "课次扫码签到",
    "education.class.completed": "班次结业",
    "education.questions.imported": "导入试题（GIFT）",
    "education.exam.created": "新建考试",
    "education.exam.started": "开始考试",
    "education.exam.submitted": "交卷",
    "education.certificate.issued": "颁发结业证书",
    "education.lecturer.registered": "登记师资",
    "education.lecturer.booked": "预约送学师资",
    "education.lecturer.lectured": "登记送学授课",
    "education.lecturer.rated": "评价授课",
}

HOURS_RULE = "docs/rules.md §3（学时计算：最小单位0.5学时）"


def half_hours_of(value, field: str = "hours") -> int:
    """Hours as typed ("1.5", 2) → integer half-hours; refuses anything not a multiple of 0.5 or ≤ 0."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"学时须为数字（{HOURS_RULE}）"}) from None
    doubled = hours * 2
    if not hours.is_finite() or doubled != doubled.to_integral_value(ROUND_HALF_UP) or hours <= 0:
        raise ValidationError({field: f"学时须为0.5的整数倍且大于0（{HOURS_RULE}）"})
    if hours > 1000:
        raise ValidationError({field: "学时过大（单条记录不超过1000学时）"})
    return int(doubled)


def learner_of(user) -> Member:
    """The member record of the signed-in user (a learner acts for themselves only); 404 without one."""
    ids = scope_of(user).member_ids
    member = Member.objects.filter(pk__in=ids, status__in=ON_ROLL).order_by("pk").first() if ids else None
    if member is None:
        raise Http404(NOT_FOUND)
    return member

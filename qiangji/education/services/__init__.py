"""Writes of the education app: one function a domain action, one transaction, one audit entry."""

from qiangji.education.services.base import ACTION_LABELS, half_hours_of, learner_of
from qiangji.education.services.classes import (
    add_session,
    check_in,
    checkin_token,
    complete_class,
    enrol,
    plan_class,
    record_funding,
    register_site,
    set_quota,
    theory_share,
)
from qiangji.education.services.courses import add_chapter, create_course, publish_course, sniff
from qiangji.education.services.exams import create_exam, import_gift, start_attempt, submit_attempt
from qiangji.education.services.lecturers import (
    book_lecturer,
    rate_lecture,
    record_lecture,
    register_lecturer,
)
from qiangji.education.services.ledger import credit_hours, record_training
from qiangji.education.services.progress import (
    HeartbeatRefused,
    Progress,
    answer_check,
    close_stale_sessions,
    heartbeat,
    start_session,
)

__all__ = [
    "ACTION_LABELS",
    "HeartbeatRefused",
    "Progress",
    "add_chapter",
    "add_session",
    "book_lecturer",
    "check_in",
    "close_stale_sessions",
    "checkin_token",
    "complete_class",
    "enrol",
    "plan_class",
    "record_funding",
    "register_lecturer",
    "register_site",
    "set_quota",
    "theory_share",
    "answer_check",
    "create_course",
    "create_exam",
    "credit_hours",
    "import_gift",
    "start_attempt",
    "submit_attempt",
    "half_hours_of",
    "heartbeat",
    "learner_of",
    "publish_course",
    "rate_lecture",
    "record_lecture",
    "record_training",
    "sniff",
    "start_session",
]

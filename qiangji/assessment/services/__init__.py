"""Writes of the assessment app: one function a domain action, one transaction, one audit entry."""

from qiangji.assessment.services.accountability import decide_accountability, gather_violations
from qiangji.assessment.services.base import ACTION_LABELS, TARGET_URLS
from qiangji.assessment.services.ratings import (
    appeal_deadline,
    decide_appeal,
    decide_rating,
    file_appeal,
    finalise_rating,
    open_notice,
    quota_room,
    raise_objection,
    resolve_objection,
    review_rating,
    self_assess,
)
from qiangji.assessment.services.recognition import (
    award_nomination,
    nominate,
    notice_nomination,
    review_nomination,
)
from qiangji.assessment.services.reports import (
    add_follow_up,
    close_follow_up,
    grade_report,
    record_review,
    submit_report,
)
from qiangji.assessment.services.runs import compute_run, publish_run
from qiangji.assessment.services.sets import (
    EXAMPLE_SOURCE,
    create_example_set,
    create_indicator_set,
    record_adjustment,
    record_manual_score,
    save_indicator,
    save_quota,
    save_threshold,
)
from qiangji.assessment.services.weak import (
    detect_weak,
    save_plan,
    save_weak_criterion,
    seed_weak_criteria,
    sign_off_plan,
    submit_evidence,
)

__all__ = [
    "award_nomination",
    "nominate",
    "notice_nomination",
    "review_nomination",
    "decide_accountability",
    "gather_violations",
    "add_follow_up",
    "close_follow_up",
    "grade_report",
    "record_review",
    "submit_report",
    "detect_weak",
    "save_plan",
    "save_weak_criterion",
    "seed_weak_criteria",
    "sign_off_plan",
    "submit_evidence",
    "ACTION_LABELS",
    "EXAMPLE_SOURCE",
    "TARGET_URLS",
    "appeal_deadline",
    "compute_run",
    "create_example_set",
    "create_indicator_set",
    "decide_appeal",
    "decide_rating",
    "file_appeal",
    "finalise_rating",
    "open_notice",
    "publish_run",
    "quota_room",
    "raise_objection",
    "record_adjustment",
    "record_manual_score",
    "resolve_objection",
    "review_rating",
    "save_indicator",
    "save_quota",
    "save_threshold",
    "self_assess",
]

"""Every write of the request desk: one function per domain action (keyword-only `actor=`, atomic, audited)."""

from qiangji.service.services.closure import close_by_staff, close_unrated, confirm
from qiangji.service.services.intake import (
    possible_duplicate,
    request_code,
    request_from_code,
    request_from_link,
    status_link_token,
    submit,
)
from qiangji.service.services.ladder import (
    answer,
    claim,
    dispatch,
    escalate_lapsed,
    merge,
    record_progress,
    resume,
    send_back,
    wait_on_requester,
    whistle,
)
from qiangji.service.services.places import (
    create_department,
    create_place,
    create_station,
    rate_neighbourhood,
)

__all__ = [
    "answer",
    "claim",
    "close_by_staff",
    "close_unrated",
    "confirm",
    "create_department",
    "create_place",
    "create_station",
    "dispatch",
    "escalate_lapsed",
    "merge",
    "possible_duplicate",
    "rate_neighbourhood",
    "record_progress",
    "request_code",
    "request_from_code",
    "request_from_link",
    "resume",
    "send_back",
    "status_link_token",
    "submit",
    "wait_on_requester",
    "whistle",
]

"""Writes of the mobility app: one function a domain action, one transaction, one audit entry."""

from qiangji.core.dates import today  # re-exported: callers take the date the services use from here
from qiangji.mobility.services.base import ACTION_LABELS
from qiangji.mobility.services.certificates import check_certificate, issue_certificate, revoke_certificate
from qiangji.mobility.services.community import (
    add_service_post,
    anchor_branch,
    decide_hours,
    record_hours,
    register_with_community,
    remove_anchor,
)
from qiangji.mobility.services.flows import (
    accept_inflow,
    decline_inflow,
    end_flow,
    register_inflow,
    register_outflow,
    self_register_arrival,
)
from qiangji.mobility.services.transfers import (
    accept_transfer,
    issue_transfer,
    record_receipt,
    register_graduate_hold,
    register_incoming_letter,
    return_transfer,
)

__all__ = [
    "ACTION_LABELS",
    "accept_inflow",
    "accept_transfer",
    "add_service_post",
    "anchor_branch",
    "check_certificate",
    "decide_hours",
    "decline_inflow",
    "end_flow",
    "issue_certificate",
    "issue_transfer",
    "record_hours",
    "record_receipt",
    "register_graduate_hold",
    "register_incoming_letter",
    "register_inflow",
    "register_outflow",
    "register_with_community",
    "remove_anchor",
    "return_transfer",
    "revoke_certificate",
    "self_register_arrival",
    "today",
]

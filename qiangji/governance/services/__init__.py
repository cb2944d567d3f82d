"""Every write of the governance app: one function per domain action (keyword-only `actor=`, one
transaction, one audit entry; a refusal is undone whole and audited as `governance.refused`)."""

from qiangji.governance.services.decisions import (
    add_representative,
    adopt_rules,
    discuss_decision,
    execute_decision,
    prereview_decision,
    propose_decision,
    publish_outcome,
    publish_resolution,
    record_vote,
    update_rule,
)
from qiangji.governance.services.fieldwork import add_point, close_finding, record_visit
from qiangji.governance.services.powers import (
    add_contact,
    adopt_item,
    close_report,
    open_case,
    raise_objection,
    read_report,
    receive_report,
    resolve_objection,
    save_step,
    take_step,
    update_item,
)

__all__ = [
    "add_point",
    "close_finding",
    "record_visit",
    "add_contact",
    "add_representative",
    "adopt_item",
    "adopt_rules",
    "close_report",
    "discuss_decision",
    "execute_decision",
    "open_case",
    "prereview_decision",
    "propose_decision",
    "publish_outcome",
    "publish_resolution",
    "raise_objection",
    "read_report",
    "receive_report",
    "record_vote",
    "resolve_objection",
    "save_step",
    "take_step",
    "update_item",
    "update_rule",
]

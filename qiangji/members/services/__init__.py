"""Writes to the member registry: one function a domain action, one transaction, one audit entry.

Clear ID numbers and phones never reach the audit trail: before/after hold the masked suffix and
a flag saying that the number changed.  Views, the API and jobs import from here.
"""

from qiangji.members.services.base import BRANCH_REFUSED, check_branch
from qiangji.members.services.members import (
    create_member,
    current_values,
    reveal_id_number,
    reveal_phone,
    update_member,
)
from qiangji.members.services.moves import (  # noqa: F401 (re-exported: mobility calls them)
    move_member,
    set_mobile,
    transfer_back,
    transfer_out,
)
from qiangji.members.services.records import add_position, add_reward_punishment
from qiangji.members.services.status import TRANSITIONS, record_status_event

__all__ = [
    "BRANCH_REFUSED",
    "TRANSITIONS",
    "add_position",
    "add_reward_punishment",
    "check_branch",
    "create_member",
    "current_values",
    "record_status_event",
    "reveal_id_number",
    "reveal_phone",
    "update_member",
]

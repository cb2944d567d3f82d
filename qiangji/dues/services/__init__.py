"""Writes of the dues app: one function a domain action, one transaction, one audit entry.

Views, the API and jobs import from here.
"""

from qiangji.core.dates import today  # re-exported: the dues pages and commands take the date from here
from qiangji.dues.services.base import refresh_account
from qiangji.dues.services.bases import agree_reduction, decide_reduction, propose_reduction, record_base
from qiangji.dues.services.online import confirm_online_payment, receive_callback, start_online_payment
from qiangji.dues.services.payments import CENTRE_THRESHOLD, MAKEUP_MONTHS, record_payment, record_voluntary
from qiangji.dues.services.suggestions import accept_suggestion, compute_suggestions, dismiss_suggestion

__all__ = [
    "CENTRE_THRESHOLD",
    "MAKEUP_MONTHS",
    "accept_suggestion",
    "agree_reduction",
    "compute_suggestions",
    "confirm_online_payment",
    "decide_reduction",
    "dismiss_suggestion",
    "propose_reduction",
    "receive_callback",
    "record_base",
    "record_payment",
    "record_voluntary",
    "refresh_account",
    "start_online_payment",
    "today",
]

"""Moved to `qiangji.dashboard.measures` (the models and the rollups both read it, so it sits beside them)."""

# dashboard/bench.py (engineer A's file) still imports this path; the lead drops this module once it does not.
from qiangji.dashboard.measures import FLOW_NAMES, STOCK_NAMES  # noqa: F401

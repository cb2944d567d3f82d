"""REST API views of organisational life (/api/v1/life/): thin over the services and selectors.

Objects are read through `.visible_to(user)` (ScopedViewSetMixin) or the scoped selectors: a foreign id
answers 404 and changes nothing.  Writes call the same services as the pages, so they refuse the same
things with the same Chinese messages.  Check-in needs no grant: the valid QR token is the authority.
"""

from qiangji.life.api.views.compliance import (
    ComplianceBranchesView,
    ComplianceSeriesView,
    ComplianceSummaryView,
    LapsedMembersView,
)
from qiangji.life.api.views.meetings import CheckInView, ExemptionViewSet, MeetingViewSet
from qiangji.life.api.views.plans import MeetingTypeViewSet, PlanItemViewSet, PlanViewSet, ThemeViewSet

__all__ = [
    "CheckInView",
    "ComplianceBranchesView",
    "ComplianceSeriesView",
    "ComplianceSummaryView",
    "ExemptionViewSet",
    "LapsedMembersView",
    "MeetingTypeViewSet",
    "MeetingViewSet",
    "PlanItemViewSet",
    "PlanViewSet",
    "ThemeViewSet",
]

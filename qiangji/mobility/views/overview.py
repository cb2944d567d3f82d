"""The mobility home page and a member's mobility records."""

from django.views.generic import DetailView, TemplateView

from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.exporting import ExportMixin
from qiangji.core.scoping import scope_of
from qiangji.core.views import ScopedMixin
from qiangji.members.models import Member
from qiangji.members.selectors import search_members
from qiangji.mobility import selectors
from qiangji.mobility.views.base import may_change_somewhere


class IndexView(ExportMixin, ScopedMixin, TemplateView):
    """Counts, the to-dos (overdue letters, cards due for the annual check, branch suggestions) and a
    member search that leads to the member's transfer, outflow and certificate actions."""

    model = Member
    scope_action = Action.CHANGE  # the search finds members the user may act for
    template_name = "mobility/index.html"

    def get_context_data(self, **kwargs):
        user, on = self.request.user, today()
        own = selectors.own_member(user)
        query = self.request.GET.get("q", "").strip()
        found = (
            search_members(self.get_queryset(), query).select_related("organisation")[:20] if query else []
        )
        return super().get_context_data(**kwargs) | {
            "query": query,
            "found": found,
            "certificates_due": selectors.certificates_due(user, on)[:50],
            "summary": selectors.summary(user, on),
            "overdue_by_org": selectors.overdue_counts_by_org(user, on),
            "suggestions": selectors.branch_suggestions(user),
            "staff": may_change_somewhere(user),
            "own_member": own,
            "own_certificates": own.certificates.filter(status="active") if own else [],
        }


class MemberMobilityView(ScopedMixin, DetailView):
    """A member's transfers, flows and certificates, with the actions the home branch may take."""

    model = Member
    template_name = "mobility/member.html"
    context_object_name = "member"

    def get_context_data(self, **kwargs):
        member, user = self.object, self.request.user
        return super().get_context_data(**kwargs) | {
            "transfers": selectors.transfers_for(user).filter(member=member),
            "flows": selectors.flows_for(user).filter(member=member),
            "certificates": selectors.certificates_for(user).filter(member=member),
            "may_change": scope_of(user).allows(Action.CHANGE, member.org_path),
        }

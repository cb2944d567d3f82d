"""One record through the user's scope (`core.scoping.get_in_scope_or_404`): an id outside the subtree, or
malformed, is a 404 that tells nothing.  Pages and the API read their objects here, never `Model.objects`.
"""

from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.life.models import AppraisalRound, Meeting, MeetingAttachment, MonthlyTheme, PlanItem, YearPlan
from qiangji.life.models.meetings import inflow_members_q
from qiangji.members.models import Member
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation


def staff_allows(user, action: str, path: str) -> bool:
    """A grant (not the member's own-branch view) covering `path` for `action`."""
    return scope_of(user).allows(action, path)


def may_change(user, path: str) -> bool:
    return staff_allows(user, Action.CHANGE, path)


def visible_org(user, pk, action: str = Action.VIEW) -> Organisation:
    return get_in_scope_or_404(Organisation, user, pk, action)


def org_for(user, pk, action: str = Action.VIEW, *, staff: bool = False) -> Organisation:
    """The organisation through the user's scope; `staff=True` ignores the member's own-branch view
    (lists of other people's records need a grant)."""
    org = get_in_scope_or_404(Organisation, user, pk, action)
    if staff and not staff_allows(user, action, org.path):
        raise Http404(NOT_FOUND)
    return org


def branch_for(user, pk, action: str = Action.VIEW) -> Organisation:
    org = org_for(user, pk, action)
    if org.kind not in BRANCH_KINDS:
        raise Http404("该页面只适用于党支部")
    return org


def committee_for(user, pk, action: str = Action.VIEW) -> Organisation:
    org = org_for(user, pk, action, staff=True)
    if org.kind in BRANCH_KINDS:
        raise Http404("该页面只适用于党委、党工委或党总支")
    return org


def meeting_for(user, pk, action: str = Action.VIEW) -> Meeting:
    return get_in_scope_or_404(
        Meeting,
        user,
        pk,
        action,
        queryset=Meeting.objects.select_related("organisation", "meeting_type", "theme"),
    )


def plan_for(user, pk, action: str = Action.VIEW) -> YearPlan:
    return get_in_scope_or_404(
        YearPlan, user, pk, action, queryset=YearPlan.objects.select_related("organisation")
    )


def plan_item_for(user, pk, action: str = Action.CHANGE) -> PlanItem:
    return get_in_scope_or_404(PlanItem, user, pk, action)


def theme_for(user, pk, action: str = Action.VIEW) -> MonthlyTheme:
    return get_in_scope_or_404(
        MonthlyTheme, user, pk, action, queryset=MonthlyTheme.objects.select_related("organisation")
    )


def member_for(user, pk, action: str = Action.VIEW) -> Member:
    """A member through the scope, or a mobile member of one of the user's inflow branches (docs/rules.md §5: the
    inflow branch takes part in the member's organisational life)."""
    members = Member.objects.select_related("organisation")
    try:
        return get_in_scope_or_404(Member, user, pk, action, queryset=members)
    except Http404:
        found = inflow_member(user, pk, action, queryset=members) if action == Action.VIEW else None
        if found is None:
            raise
        return found


def inflow_member(user, pk, action: str = Action.VIEW, *, queryset=None) -> Member | None:
    """The member `pk` when they are a mobile member of an inflow branch in the user's scope for `action`."""
    inflow = inflow_members_q(scope_of(user).paths_for(action), field="pk")
    if inflow is None:
        return None
    try:
        return (
            (queryset if queryset is not None else Member.objects)
            .filter(inflow, pk=getattr(pk, "pk", pk))
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        return None


def round_for(user, pk, action: str = Action.VIEW) -> AppraisalRound:
    """An appraisal round through the scope; for VIEW also a round of the member's own branch (a member
    takes part in its appraisal)."""
    rounds = AppraisalRound.objects.select_related("organisation")
    try:
        return get_in_scope_or_404(AppraisalRound, user, pk, action, queryset=rounds)
    except Http404:
        if action != Action.VIEW:
            raise
    found = rounds.filter(pk=pk, org_path__in=scope_of(user).member_org_paths()).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def attachment_for(user, pk) -> MeetingAttachment:
    """An attachment through the scope, or one of a meeting the user may see (a member sees the
    attachments of their own branch's meetings)."""
    try:
        return get_in_scope_or_404(MeetingAttachment, user, pk)
    except Http404:
        pass
    visible = Meeting.objects.visible_to(user).values("pk")
    attachment = MeetingAttachment.objects.filter(pk=pk, meeting__in=visible).first()
    if attachment is None:
        raise Http404(NOT_FOUND)
    return attachment


def schedulable_plan_item(user, branch: Organisation, pk) -> PlanItem | None:
    """The branch's plan item a new meeting fulfils (`?plan_item=`); None when absent or not the user's."""
    if not (pk and str(pk).isdigit()):
        return None
    return PlanItem.objects.visible_to(user, Action.CHANGE).filter(pk=pk, org_path=branch.path).first()


def changeable_branches(user, org: Organisation):
    """Branches of `org`'s subtree the user may change (the exemption form's choices)."""
    return Organisation.objects.visible_to(user, Action.CHANGE).filter(
        path__startswith=org.path, kind__in=BRANCH_KINDS
    )


def scope_root(user, action: str = Action.VIEW) -> Organisation | None:
    """The top of the user's scope when it is one subtree (a superuser: the first root); else None."""
    roots = scope_of(user).paths_for(action)
    org = Organisation.objects.filter(path=roots[0]).first() if len(roots) == 1 else None
    if org is None and user.is_superuser:
        org = Organisation.objects.filter(depth=1).order_by("path").first()
    return org

"""Moving a member to another branch and keeping the mobile-member items: the registry's own writes,
called by the transfer and mobile-member processes (the mobility app) so that no other app writes
the member table.

Both run inside the caller's transaction and write their audit entry there.  The action codes keep
the names they had when the mobility app wrote them ("mobility.member.moved",
"mobility.member.mobile_marked"): tests and the audit log's history read those codes, and the
dashboard's refresh reads both sides of the move from the entry's before/after.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit, audit_labels, paths
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import scope_of
from qiangji.members.choices import MemberStatus
from qiangji.members.models import Member
from qiangji.members.services.members import current_values, update_member
from qiangji.members.services.status import record_status_event
from qiangji.members.validation import validate_member_fields

MOVED = "mobility.member.moved"
MOBILE_MARKED = "mobility.member.mobile_marked"
ACTION_LABELS = {
    MOVED: "党员编入新党支部（组织关系转接）",
    MOBILE_MARKED: "更新流动党员标记",
}
MOBILE_ITEMS = ("is_mobile", "mobile_destination")
DESTINATION_LENGTH = 200

audit_labels.register(ACTION_LABELS)


def move_member(*, actor, member: Member, branch, reason: str) -> dict[str, int]:
    """Place `member` in `branch` (organisation, path and county code) and move every row other apps
    registered as following the member (`core.paths.register_member_rows`), set-wise, audited.

    The transfer process (组织关系转接, docs/rules.md §5) is the only caller: `update_member` refuses an
    organisation change, and the caller has already checked that the actor receives the member and may
    act for `branch`.  Returns the rows moved per model label (also written into the audit entry)."""
    before = {"organisation": member.organisation_id, "org_path": member.org_path}
    Member.objects.filter(pk=member.pk).update(
        organisation=branch, org_path=branch.path, region_code=branch.region_code, updated_at=timezone.now()
    )
    moved = paths.move_member_rows(member, branch)
    audit.record(
        actor=actor,
        action=MOVED,
        target=member,
        org=branch,
        before=before,
        after={"organisation": branch.pk, "org_path": branch.path, "reason": reason, "rows": moved},
    )
    return moved


def transfer_out(*, actor, member: Member, reason: str) -> None:
    """A paper letter out (组织关系转往平台外, docs/rules.md §5) takes the member off the roll: status
    "transferred_out" from today, through `record_status_event` (dated event, audited); organisation, path and
    political status stay as they were (the record is the sending branch's history)."""
    record_status_event(
        actor=actor, member=member, status=MemberStatus.TRANSFERRED_OUT, effective_on=today(), reason=reason
    )


def transfer_back(*, actor, member: Member, branch, reason: str) -> dict[str, int]:
    """An incoming paper letter for a member the registry knows as transferred out: placed in `branch` with every
    row that follows the member (`move_member`) and back on the roll in their category (full or probationary)."""
    if member.status != MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(
            {"member": f"“{member.name}”当前状态为{member.get_status_display()}，不是已转出的党员"}
        )
    moved = move_member(actor=actor, member=member, branch=branch, reason=reason)
    member.refresh_from_db()
    record_status_event(
        actor=actor, member=member, status=member.category, effective_on=today(), reason=reason
    )
    return moved


def set_mobile(*, actor, member: Member, destination: str) -> None:
    """Keep the two national data items `is_mobile` / `mobile_destination` (docs/rules.md §7) current:
    mobile while `destination` is given, not mobile when it is empty.

    * The home branch (CHANGE scope over the member's path) changes them through the normal update
      path, `update_member` (entry "members.member.updated"), whenever the record passes today's
      validation with the two new items.
    * An inflow branch or the member themself (who may not edit the record), and the home branch when
      the record is an older one whose OTHER items fail today's validation (a gap the mobility process
      did not make and cannot fix), get exactly these two items set, nothing else, with their own entry
      "mobility.member.mobile_marked" naming the unrelated gaps.  This is deliberate: a member leaving
      or returning must not be blocked by, say, a missing address on a record imported years ago.
      A problem with the two items themselves is never tolerated: it raises.
    """
    is_mobile = bool(destination)
    destination = (destination or "")[:DESTINATION_LENGTH]
    if member.is_mobile == is_mobile and member.mobile_destination == destination:
        return
    values = {"is_mobile": is_mobile, "mobile_destination": destination}
    gaps: list[str] = []
    if member.org_path and scope_of(actor).allows(Action.CHANGE, member.org_path):
        _, errors = validate_member_fields(current_values(member) | values, today=today())
        own = {key: message for key, message in errors.items() if key in MOBILE_ITEMS}
        if own:
            raise ValidationError(own)
        if not errors:
            update_member(actor=actor, member=member, values=values)
            return
        gaps = sorted(errors)
    _set_items(actor, member, values, gaps)


@transaction.atomic
def _set_items(actor, member: Member, values: dict, gaps: list[str]) -> None:
    before = {key: getattr(member, key) for key in MOBILE_ITEMS}
    Member.objects.filter(pk=member.pk).update(**values, updated_at=timezone.now())
    after = dict(values) | ({"record_gaps": gaps} if gaps else {})
    audit.record(
        actor=actor, action=MOBILE_MARKED, target=member, org_path=member.org_path, before=before, after=after
    )

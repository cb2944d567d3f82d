"""Lapse and lost-contact suggestions (docs/rules.md §5): computed set-wise, decided by a committee.

Never automatic: the job only lists members; a person accepts (which records the status change
through `members.services.record_status_event`) or dismisses with a reason, each audited.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.dues import selectors
from qiangji.dues.choices import SuggestionKind, SuggestionStatus
from qiangji.dues.models import Suggestion
from qiangji.dues.services.base import check_higher
from qiangji.members import services as member_services
from qiangji.members.choices import MemberStatus

# What accepting a suggestion records, and the reason written on the status event.
OUTCOMES = {
    SuggestionKind.LAPSE_DUES: (
        MemberStatus.LEFT,
        "自行脱党：连续6个月不交纳党费，除名（《中国共产党章程》第九条）",
    ),
    SuggestionKind.LAPSE_LIFE: (
        MemberStatus.LEFT,
        "自行脱党：连续6个月不参加党的组织生活，除名（《中国共产党章程》第九条）",
    ),
    SuggestionKind.SUSPEND: (
        MemberStatus.SUSPENDED,
        "失去联系满6个月，停止党籍（《中国共产党党员教育管理工作条例》）",
    ),
    SuggestionKind.REMOVE: (
        MemberStatus.LEFT,
        "停止党籍满2年仍无法取得联系，除名（《中国共产党党员教育管理工作条例》）",
    ),
}
FIELDS = ("kind", "status", "since", "reason")


@transaction.atomic
def compute_suggestions(*, actor, root_path: str = "", on: datetime.date | None = None) -> dict:
    """Open a suggestion for every newly flagged member under `root_path`; retire stale ones.

    A finding already decided (same member, kind and start date) is not opened again.
    """
    on = on or today()
    found = selectors.flagged_members(root_path, on)  # {(member_id, kind): since}
    known = set(
        Suggestion.objects.filter(member__org_path__startswith=root_path).values_list(
            "member_id", "kind", "since"
        )
    )
    new = [
        Suggestion(member_id=member_id, kind=kind, since=since, detected_on=on)
        for (member_id, kind), since in found.items()
        if (member_id, kind, since) not in known
    ]
    Suggestion.objects.bulk_create(new)
    stale = [
        pk
        for pk, member_id, kind, since in Suggestion.objects.filter(
            member__org_path__startswith=root_path, status=SuggestionStatus.OPEN
        ).values_list("pk", "member_id", "kind", "since")
        if found.get((member_id, kind)) != since
    ]
    Suggestion.objects.filter(pk__in=stale).update(
        status=SuggestionStatus.OBSOLETE, decided_at=timezone.now()
    )
    result = {"opened": len(new), "retired": len(stale), "flagged": len(found), "on": on}
    audit.record(
        actor=actor,
        action="dues.suggestions.computed",
        org_path=root_path,
        target_repr=f"处置建议 {on:%Y-%m-%d}",
        after=result,
    )
    return result


def _open(actor, suggestion) -> Suggestion:
    # Lock the suggestion only (`of=self`), not the member and organisation rows read with it.
    rows = Suggestion.objects.select_for_update(of=("self",)).select_related("member__organisation")
    found = get_in_scope_or_404(Suggestion, actor, suggestion, Action.CHANGE, queryset=rows)
    if found.status != SuggestionStatus.OPEN:
        raise ValidationError({"__all__": f"该建议已处理（{found.get_status_display()}），不能再次决定"})
    check_higher(actor, found.member, "停止党籍、除名等处置")
    return found


@transaction.atomic
def accept_suggestion(
    *, actor, suggestion, reason: str = "", effective_on: datetime.date | None = None
) -> Suggestion:
    """The committee accepts: the member's status changes through the registry's own service."""
    suggestion = _open(actor, suggestion)
    status, default_reason = OUTCOMES[suggestion.kind]
    reason = (reason or "").strip() or default_reason
    before = audit.snapshot(suggestion, FIELDS)
    event = member_services.record_status_event(
        actor=actor,
        member=suggestion.member,
        status=status,
        effective_on=effective_on or today(),
        reason=reason,
    )
    suggestion.status, suggestion.reason, suggestion.status_event = SuggestionStatus.ACCEPTED, reason, event
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.save()
    audit.record(
        actor=actor,
        action="dues.suggestion.accepted",
        target=suggestion.member,
        org=suggestion.member.organisation,
        before=before,
        after=audit.snapshot(suggestion, FIELDS) | {"suggestion": suggestion.pk, "new_status": status},
    )
    return suggestion


@transaction.atomic
def dismiss_suggestion(*, actor, suggestion, reason: str) -> Suggestion:
    """The committee finds a good reason (illness, posting abroad...): nothing changes but the record."""
    suggestion = _open(actor, suggestion)
    if not (reason or "").strip():
        raise ValidationError({"reason": "理由：不予采纳时必须说明理由"})
    before = audit.snapshot(suggestion, FIELDS)
    suggestion.status, suggestion.reason = SuggestionStatus.DISMISSED, reason.strip()
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.save()
    audit.record(
        actor=actor,
        action="dues.suggestion.dismissed",
        target=suggestion.member,
        org=suggestion.member.organisation,
        before=before,
        after=audit.snapshot(suggestion, FIELDS) | {"suggestion": suggestion.pk},
    )
    return suggestion

"""Accountability (问责): gather the procedure violations the platform already detects, decide on each."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from qiangji.assessment.choices import AccountabilityDecision, ViolationKind
from qiangji.assessment.models import AccountabilityCase
from qiangji.assessment.services.base import require_above, require_in_scope, require_text
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.mobility.models import Transfer
from qiangji.mobility.selectors import overdue_q
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import ACTIVE_STATUSES
from qiangji.recruitment.models import Case, GateOverride
from qiangji.recruitment.selectors import due


def _found(root: Organisation, on: datetime.date) -> list[AccountabilityCase]:
    rows = []
    for override in GateOverride.objects.filter(org_path__startswith=root.path).select_related(
        "case__organisation", "rule", "actor"
    ):
        case = override.case
        rows.append(
            AccountabilityCase(
                kind=ViolationKind.GATE_OVERRIDE,
                source_id=f"override:{override.pk}",
                source_url=reverse("recruitment:case", kwargs={"pk": case.pk}),
                organisation=case.organisation,
                org_name=case.organisation.name[:200],
                responsible=(override.actor.get_full_name() or override.actor.get_username())[:150]
                if override.actor
                else "—",
                title=f"{case.name} 第{override.step}步越过“{override.rule.title}”：{override.reason}"[:255],
            )
        )
    cases = Case.objects.filter(status__in=ACTIVE_STATUSES, org_path__startswith=root.path).select_related(
        "organisation"
    )
    for deadline in due.deadline_rules(on):
        for case in due.rule_cases(cases, deadline, on, 0, overdue=True, soon=False):
            rows.append(
                AccountabilityCase(
                    kind=ViolationKind.OVERDUE_STEP,
                    source_id=f"case:{case.pk}:rule:{deadline.rule.pk}",
                    source_url=reverse("recruitment:case", kwargs={"pk": case.pk}),
                    organisation=case.organisation,
                    org_name=case.organisation.name[:200],
                    responsible=f"{case.organisation.name}书记"[:150],
                    title=f"{case.name}：{deadline.rule.title}已超期"[:255],
                )
            )
    late_transfer, late_receipt = overdue_q(on)
    transfers = Transfer.objects.filter(
        late_transfer | late_receipt, org_path__startswith=root.path
    ).select_related("from_org")
    for transfer in transfers:
        receipt = transfer.receipt_due_on is not None and transfer.kind == "outgoing"
        rows.append(
            AccountabilityCase(
                kind=ViolationKind.OVERDUE_RECEIPT if receipt else ViolationKind.OVERDUE_TRANSFER,
                source_id=f"transfer:{transfer.pk}",
                source_url=reverse("mobility:transfer-detail", kwargs={"pk": transfer.pk}),
                organisation=transfer.from_org,
                org_name=transfer.from_org_name[:200],
                responsible=f"{transfer.from_org_name}书记"[:150],
                title=f"{transfer.member_name} 介绍信 {transfer.number}"[:255],
            )
        )
    for row in rows:
        row.org_path, row.region_code, row.detected_on = (
            row.organisation.path,
            row.organisation.region_code,
            on,
        )
    return rows


@transaction.atomic
def gather_violations(*, actor, organisation: Organisation, on: datetime.date | None = None) -> int:
    """Record every violation found under `organisation` that is not recorded yet; returns how many are new."""
    require_in_scope(actor, organisation.path, Action.CHANGE)
    on = on or today()
    rows = _found(organisation, on)
    known = set(
        AccountabilityCase.objects.filter(source_id__in=[r.source_id for r in rows]).values_list(
            "kind", "source_id"
        )
    )
    new = [r for r in rows if (r.kind, r.source_id) not in known]
    AccountabilityCase.objects.bulk_create(new, batch_size=2000)
    audit.record(
        actor=actor,
        action="assessment.violations.gathered",
        target=organisation,
        org=organisation,
        after={"new": len(new), "found": len(rows)},
    )
    return len(new)


@transaction.atomic
def decide_accountability(
    *, actor, case: AccountabilityCase, decision: str, reason: str
) -> AccountabilityCase:
    case = AccountabilityCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    require_in_scope(actor, case.org_path, Action.VIEW)
    require_above(actor, case.organisation, "decision")
    if case.decision:
        raise ValidationError({"decision": "已作出处理决定"})
    if decision not in AccountabilityDecision.values:
        raise ValidationError({"decision": "请选择处理决定"})
    case.decision_reason = require_text(reason, "decision_reason", "处理理由")
    case.decision, case.decided_by, case.decided_on = decision, actor, today()
    case.save()
    audit.record(
        actor=actor,
        action="assessment.violation.decided",
        target=case,
        org_path=case.org_path,
        after={"decision": decision, "reason": case.decision_reason},
    )
    return case

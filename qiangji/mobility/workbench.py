"""Mobility's to-dos on the work bench (core.workbench), registered from `MobilityConfig.ready()`:
introduction letters to receive (the receiving side), receipts of paper letters out still to come back
(the sending side), incoming mobile members to confirm (the inflow branch) and graduates' relations to
transfer.  SQL counts over the user's CHANGE scope, each linked to the list filtered to those rows."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from qiangji.core import dates, workbench
from qiangji.core.choices import Action
from qiangji.core.scoping import prefix_q, scope_of
from qiangji.mobility import selectors
from qiangji.mobility.choices import FlowStatus, TransferKind, TransferStatus
from qiangji.mobility.models import MobileFlow, Transfer


def _list(name: str, **query) -> str:
    return reverse(name) + "?" + urlencode(query)


def mobility_todos(user) -> list[dict]:
    scope = scope_of(user)
    paths = scope.paths_for(Action.CHANGE)
    if not scope.is_superuser and not paths:
        return []
    today = dates.today()
    receiving = Q() if scope.is_superuser else prefix_q("other_path", paths)
    sending = Q() if scope.is_superuser else prefix_q("org_path", paths)
    lines = []
    incoming = (
        Transfer.objects.visible_to(user, Action.CHANGE)
        .filter(receiving, status=TransferStatus.IN_TRANSIT, kind=TransferKind.INTERNAL)
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(expires_on__lt=today)))
    )
    if incoming["n"]:
        late = f"（其中 {incoming['late']} 份已过有效期）" if incoming["late"] else ""
        lines.append(
            workbench.todo(
                "danger" if incoming["late"] else "warning",
                f"{incoming['n']} 份组织关系介绍信待接收{late}",
                _list("mobility:transfer-list", status=TransferStatus.IN_TRANSIT, kind=TransferKind.INTERNAL),
                count=incoming["n"],
                key="mobility.receive",
            )
        )
    receipts = (
        Transfer.objects.visible_to(user, Action.CHANGE)
        .filter(sending, status=TransferStatus.IN_TRANSIT, kind=TransferKind.OUTGOING)
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(receipt_due_on__lt=today)))
    )
    if receipts["n"]:
        late = f"（其中 {receipts['late']} 封已超过应返回日期）" if receipts["late"] else ""
        lines.append(
            workbench.todo(
                "danger" if receipts["late"] else "info",
                f"{receipts['n']} 封转出平台外的介绍信回执尚未返回{late}",
                _list("mobility:transfer-list", status=TransferStatus.IN_TRANSIT, kind=TransferKind.OUTGOING),
                count=receipts["n"],
                key="mobility.receipts",
            )
        )
    pending = (
        MobileFlow.objects.visible_to(user, Action.CHANGE)
        .filter(receiving, status=FlowStatus.PENDING)
        .count()
    )
    if pending:
        lines.append(
            workbench.todo(
                "warning",
                f"{pending} 名流入党员待确认接收",
                _list("mobility:flow-list", status=FlowStatus.PENDING),
                count=pending,
                key="mobility.inflow",
            )
        )
    graduates = selectors.flagged_graduates(user, today).count()
    if graduates:
        lines.append(
            workbench.todo(
                "warning",
                f"{graduates} 名毕业生党员的组织关系应及时转出",
                reverse("mobility:index"),
                count=graduates,
                key="mobility.graduates",
            )
        )
    return lines


def register() -> None:
    workbench.register_todos("mobility.todos", mobility_todos, order=50)

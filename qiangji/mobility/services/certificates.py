"""流动党员活动证: numbered by the county's sequence, signed, checked yearly, revocable (docs/rules.md §5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import add_months, today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.members.models import Member
from qiangji.mobility import signing
from qiangji.mobility.choices import OPEN_FLOW_STATUSES, CertificateStatus, RevocationReason
from qiangji.mobility.models import Certificate, MobileFlow
from qiangji.mobility.services import base

SNAPSHOT = (
    "number",
    "status",
    "issued_on",
    "valid_until",
    "last_checked_on",
    "revoked_on",
    "revoked_reason",
    "key_id",
)
NO_VOTE = "持证人在流入地参加组织生活、交纳党费，但没有表决权、选举权和被选举权（《中国共产党党员教育管理工作条例》）"


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def payload_for(cert: Certificate) -> dict:
    """What the card tells a verifier offline: no ID number, no phone, the name masked."""
    flow = cert.flow
    return {
        "v": 1,
        "n": cert.number,
        "nm": mask_name(cert.member.name),
        "org": cert.member.organisation.name,
        "in": flow.in_org.name if flow and flow.in_org_id else "",  # type: ignore[union-attr]
        "iss": cert.issued_on.isoformat(),
        "exp": cert.valid_until.isoformat(),
        "nv": 1,
        "kid": signing.key_id(),
    }


def _sign(cert: Certificate) -> None:
    cert.token = signing.sign_payload(payload_for(cert))
    cert.key_id = signing.key_id()


def _year_from(day: datetime.date) -> datetime.date:
    return add_months(day, 12) - datetime.timedelta(days=1)


@transaction.atomic
def issue_certificate(*, actor, member) -> Certificate:
    """The home branch issues; the number comes from the county organisation department's sequence."""
    member = get_in_scope_or_404(Member, actor, member, Action.CHANGE, lock=True)
    base.require_on_roll(member)
    if Certificate.objects.filter(member=member, status=CertificateStatus.ACTIVE).exists():
        raise ValidationError({"member": f"“{member.name}”已有有效的活动证，请先注销（如遗失）再补发"})
    code = base.county_code(member.organisation)
    issued_on = today()
    flow = (
        MobileFlow.objects.filter(member=member, status__in=OPEN_FLOW_STATUSES)
        .select_related("in_org")
        .first()
    )
    cert = Certificate(
        member=member,
        flow=flow,
        org_path=member.org_path,
        other_path=flow.other_path if flow else "",
        issued_on=issued_on,
        valid_until=_year_from(issued_on),
        number=f"{code}{issued_on:%Y}{base.next_number('certificate', code, issued_on.year):05d}",
    )
    _sign(cert)
    cert.save()
    audit.record(
        actor=actor,
        action="mobility.certificate.issued",
        target=cert,
        org=member.organisation,
        after=audit.snapshot(cert, SNAPSHOT),
    )
    return cert


def _active(actor, cert) -> Certificate:
    cert = get_in_scope_or_404(Certificate, actor, cert.pk, Action.CHANGE, lock=True)
    if cert.status != CertificateStatus.ACTIVE:
        raise ValidationError({"status": "该活动证已注销"})
    return cert


@transaction.atomic
def check_certificate(*, actor, cert: Certificate) -> Certificate:
    """The annual check (with the democratic appraisal): valid for another year, signed anew."""
    cert = _active(actor, cert)
    if not scope_of(actor).allows(Action.CHANGE, cert.org_path):
        raise ValidationError({"status": "年度查验由发证党支部办理"})
    before = audit.snapshot(cert, SNAPSHOT)
    cert.last_checked_on = today()
    cert.valid_until = _year_from(cert.last_checked_on)
    flow = MobileFlow.objects.filter(member=cert.member, status__in=OPEN_FLOW_STATUSES).first()
    cert.flow, cert.other_path = flow, flow.other_path if flow else ""
    _sign(cert)
    cert.save()
    audit.record(
        actor=actor,
        action="mobility.certificate.checked",
        target=cert,
        org_path=cert.org_path,
        before=before,
        after=audit.snapshot(cert, SNAPSHOT),
    )
    return cert


@transaction.atomic
def revoke_certificate(*, actor, cert: Certificate, reason: str) -> Certificate:
    """Lost card, return or transfer: the status endpoint answers "revoked" from now on."""
    cert = _active(actor, cert)
    if reason not in RevocationReason.values:
        raise ValidationError({"revoked_reason": "请选择注销原因"})
    before = audit.snapshot(cert, SNAPSHOT)
    cert.status, cert.revoked_on, cert.revoked_reason = CertificateStatus.REVOKED, today(), reason
    cert.save()
    audit.record(
        actor=actor,
        action="mobility.certificate.revoked",
        target=cert,
        org_path=cert.org_path,
        before=before,
        after=audit.snapshot(cert, SNAPSHOT),
    )
    return cert

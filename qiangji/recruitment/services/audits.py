"""File audits (issue item 11): an organisation department samples the year's new members' files at a
set ratio (default 10%), records findings per file and tracks their correction.

The sample is reproducible: the population (cases admitted by a branch meeting in the year, in the
department's subtree, ordered by id) and the seed are stored, and `random.Random(seed).sample` of
that ordered list gives the same files again, so anyone can re-draw and check it.
"""

import datetime
import math
import random
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import CaseStatus, FindingStatus
from qiangji.recruitment.models import Case, FileAudit, FileAuditFinding, FileAuditSample

NOT_FOUND = "未找到该记录，或您无权操作"
DEFAULT_RATIO = Decimal("10")
AUDIT_LABELS = {  # registered in apps.py
    "recruitment.file_audit.drawn": "抽查发展党员档案",
    "recruitment.file_audit.checked": "登记档案抽查结果",
    "recruitment.file_audit.finding": "登记档案抽查问题",
    "recruitment.file_audit.corrected": "登记档案问题整改",
}


def population(org: Organisation, year: int):
    """The year's new members' files in the subtree: cases a branch meeting admitted that year."""
    return (
        Case.objects.filter(
            org_path__startswith=org.path,
            admitted_on__gte=datetime.date(year, 1, 1),
            admitted_on__lt=datetime.date(year + 1, 1, 1),
        )
        .exclude(status=CaseStatus.WITHDRAWN)
        .order_by("pk")
    )


def sample_ids(ids: list[int], ratio: Decimal, seed: str) -> list[int]:
    """ceil(N × ratio%) ids (at least one when N > 0), the same for the same ids and seed."""
    size = min(len(ids), math.ceil(len(ids) * ratio / 100)) if ids else 0
    return sorted(random.Random(seed).sample(ids, size))


def _department(actor, organisation) -> Organisation:
    org = get_in_scope_or_404(Organisation, actor, organisation, Action.CHANGE)
    if org.kind in BRANCH_KINDS:
        raise ValidationError({"organisation": "组织部门（抽查范围）：应为党委或组织部门，不能是党支部"})
    return org


def _ratio(value) -> Decimal:
    try:
        ratio = Decimal(str(value if value not in (None, "") else DEFAULT_RATIO))
    except InvalidOperation:
        raise ValidationError({"ratio": "抽查比例（%）：应为数字"})
    if not Decimal("0") < ratio <= Decimal("100"):
        raise ValidationError({"ratio": "抽查比例（%）：应大于0且不超过100"})
    return ratio


@transaction.atomic
def draw_file_audit(
    *, actor, organisation, year: int, ratio=DEFAULT_RATIO, seed: str = "", note: str = ""
) -> FileAudit:
    org = _department(actor, organisation)
    if not isinstance(year, int) or not 2000 <= year <= today().year:
        raise ValidationError({"year": f"年度：应为2000至{today().year}之间的年份"})
    ratio = _ratio(ratio)
    seed = (seed or "").strip()[:40] or secrets.token_hex(8)
    ids = list(population(org, year).values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"year": f"年度：{org.name}{year}年没有发展党员，无档案可抽查"})
    chosen = sample_ids(ids, ratio, seed)
    file_audit = FileAudit.objects.create(
        organisation=org,
        org_path=org.path,
        year=year,
        ratio=ratio,
        seed=seed,
        population=len(ids),
        drawn_on=today(),
        note=(note or "").strip(),
        created_by=actor,
    )
    paths = dict(Case.objects.filter(pk__in=chosen).values_list("pk", "org_path"))
    FileAuditSample.objects.bulk_create(
        FileAuditSample(audit=file_audit, case_id=pk, org_path=paths[pk]) for pk in chosen
    )
    audit.record(
        actor=actor,
        action="recruitment.file_audit.drawn",
        target=file_audit,
        org=org,
        after={
            "year": year,
            "ratio": ratio,
            "seed": seed,
            "population": len(ids),
            "sampled": len(chosen),
            "cases": chosen[:200],
        },
    )
    return file_audit


def _sample_for_change(actor, sample) -> FileAuditSample:
    found = get_in_scope_or_404(FileAuditSample, actor, sample, Action.CHANGE, lock=True)
    if not scope_of(actor).allows(Action.CHANGE, found.audit.org_path):
        raise Http404(NOT_FOUND)  # findings are the department's, not the audited branch's
    return found


@transaction.atomic
def record_check(*, actor, sample, checked_on, compliant: bool) -> FileAuditSample:
    sample = _sample_for_change(actor, sample)
    if not isinstance(checked_on, datetime.date) or checked_on > today():
        raise ValidationError({"checked_on": "检查日期：必填，且不能晚于今天"})
    if compliant and sample.findings.exclude(status=FindingStatus.ACCEPTED).exists():
        raise ValidationError({"compliant": "合规：该档案还有未验收的问题，不能判为合规"})
    before = {"checked_on": sample.checked_on, "compliant": sample.compliant}
    sample.checked_on, sample.compliant = checked_on, compliant
    sample.save(update_fields=["checked_on", "compliant"])
    audit.record(
        actor=actor,
        action="recruitment.file_audit.checked",
        target=sample,
        org_path=sample.org_path,
        before=before,
        after={"checked_on": checked_on, "compliant": compliant},
    )
    return sample


@transaction.atomic
def record_finding(*, actor, sample, description: str, found_on, step=None, due_on=None) -> FileAuditFinding:
    sample = _sample_for_change(actor, sample)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "问题：必填"})
    if not isinstance(found_on, datetime.date) or found_on > today():
        raise ValidationError({"found_on": "发现日期：必填，且不能晚于今天"})
    if due_on is not None and due_on < found_on:
        raise ValidationError({"due_on": "整改期限：不能早于发现日期"})
    if step is not None and not 1 <= int(step) <= 25:
        raise ValidationError({"step": "涉及步骤：应为1至25"})
    finding = FileAuditFinding.objects.create(
        sample=sample,
        org_path=sample.org_path,
        step=step,
        description=description,
        found_on=found_on,
        due_on=due_on,
    )
    sample.checked_on, sample.compliant = sample.checked_on or found_on, False
    sample.save(update_fields=["checked_on", "compliant"])
    audit.record(
        actor=actor,
        action="recruitment.file_audit.finding",
        target=finding,
        org_path=sample.org_path,
        after={"sample": sample.pk, "step": step, "description": description, "due_on": due_on},
    )
    return finding


@transaction.atomic
def correct_finding(*, actor, finding, status: str, corrected_on, correction: str) -> FileAuditFinding:
    """The branch reports the correction (corrected); the department accepts it (accepted)."""
    found = get_in_scope_or_404(FileAuditFinding, actor, finding, Action.CHANGE, lock=True)
    if status not in (FindingStatus.CORRECTED, FindingStatus.ACCEPTED):
        raise ValidationError({"status": "状态：应为已整改或已验收"})
    if status == FindingStatus.ACCEPTED and not scope_of(actor).allows(
        Action.CHANGE, found.sample.audit.org_path
    ):
        raise ValidationError({"status": "状态：只有组织抽查的组织部门可以验收"})
    if not isinstance(corrected_on, datetime.date) or corrected_on > today() or corrected_on < found.found_on:
        raise ValidationError({"corrected_on": "整改日期：必填，不能早于发现日期，也不能晚于今天"})
    if not (correction or "").strip():
        raise ValidationError({"correction": "整改情况：必填"})
    before = {"status": found.status}
    found.status, found.corrected_on, found.correction = status, corrected_on, correction.strip()
    found.save(update_fields=["status", "corrected_on", "correction"])
    audit.record(
        actor=actor,
        action="recruitment.file_audit.corrected",
        target=found,
        org_path=found.org_path,
        before=before,
        after={"status": status, "corrected_on": corrected_on},
    )
    return found

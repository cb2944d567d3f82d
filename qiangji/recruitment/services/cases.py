"""Opening a case (step 1), moving it to another branch, overrides, rule tightening, archiving."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from qiangji.core import audit, crypto
from qiangji.core.choices import Action, Role
from qiangji.core.dates import add_years, today
from qiangji.core.pinyin import name_pinyin
from qiangji.core.scoping import scope_of
from qiangji.members.models import Member
from qiangji.members.services import check_branch
from qiangji.members.validation import validate_member_fields
from qiangji.recruitment import rules
from qiangji.recruitment.choices import ARCHIVE_CHECKLIST, STEP_NAMES, CaseStatus, DocumentKind, PlanGroup
from qiangji.recruitment.models import (
    AdmissionForm,
    Case,
    CaseTransfer,
    GateOverride,
    Objection,
    Rule,
    RuleOverride,
    StepDocument,
)
from qiangji.recruitment.services import base
from qiangji.recruitment.services.base import add_step, gate, lock_case, reread, supervises

APPLICANT_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "phone",
    "education",
    "address",
    "employer",
)
APPLICANT_AUDIT = (
    "name",
    "sex",
    "birth_date",
    "id_suffix",
    "phone_suffix",
    "group",
    "applied_on",
    "org_path",
)


def _cleaned_applicant(values: dict) -> dict:
    """The registry's validation (members.validation) on the applicant's items; only their errors count."""
    given = {key: values.get(key) for key in APPLICANT_FIELDS if key in values}
    cleaned, errors = validate_member_fields(given | {"category": "probationary"}, today=today())
    errors = {key: message for key, message in errors.items() if key in APPLICANT_FIELDS}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_not_duplicate(id_hash: str) -> None:
    if Case.objects.filter(
        id_number_hash=id_hash, status__in=[CaseStatus.OPEN, CaseStatus.PROBATIONARY]
    ).exists():
        raise ValidationError({"id_number": "公民身份证号：此人已有正在办理的入党申请，请勿重复登记"})
    if Member.objects.filter(id_number_hash=id_hash).exists():
        raise ValidationError({"id_number": "公民身份证号：此人已在党员档案中，不能再登记入党申请"})


@transaction.atomic
def submit_application(
    *, actor, organisation, values: dict, applied_on, group: str = PlanGroup.OTHER
) -> Case:
    """Step 1: a written application received by the branch (《中国共产党发展党员工作细则》第五条: age ≥ 18 — gate)."""
    branch = check_branch(actor, organisation)
    if not isinstance(applied_on, datetime.date):
        raise ValidationError({"applied_on": "递交申请书日期：必填，格式如 2025-05-01"})
    if applied_on > today():
        raise ValidationError({"applied_on": f"递交申请书日期：{applied_on:%Y-%m-%d} 不能晚于今天"})
    if group not in PlanGroup.values:
        raise ValidationError({"group": f"发展对象类别：代码“{group}”不在代码表中"})
    cleaned = _cleaned_applicant(values)
    case = _new_case(actor, branch, cleaned, applied_on, group)
    adult_on = add_years(case.birth_date, 18)
    gate(
        case,
        "step01.min_age",
        applied_on,
        applied_on >= adult_on,
        lambda: (
            f"出生日期 {case.birth_date:%Y-%m-%d}，{adult_on:%Y-%m-%d} 年满18周岁，"
            f"递交申请书日期 {applied_on:%Y-%m-%d} 时未满18周岁"
        ),
    )
    _check_not_duplicate(case.id_number_hash)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise ValidationError({"id_number": "公民身份证号：此人已有正在办理的入党申请，请勿重复登记"})
    add_step(actor, case, 1, applied_on, fields={"group": group})
    audit.record(
        actor=actor,
        action="recruitment.case.created",
        target=case,
        org=branch,
        after=audit.snapshot(case, APPLICANT_AUDIT),
    )
    return reread(actor, case)


def _new_case(actor, branch, cleaned: dict, applied_on, group) -> Case:
    id_number, phone = cleaned["id_number"], cleaned.get("phone") or ""
    return Case(
        organisation=branch,
        org_path=branch.path,
        region_code=branch.region_code,
        name=cleaned["name"],
        name_pinyin=name_pinyin(cleaned["name"])[0][:120],
        sex=cleaned.get("sex") or "",
        ethnicity=cleaned.get("ethnicity") or "",
        birth_date=cleaned["birth_date"],
        id_number_encrypted=crypto.encrypt(id_number),
        id_number_hash=crypto.blind_index(id_number),
        id_suffix=id_number[-4:],
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone),
        phone_suffix="".join(ch for ch in phone if ch.isdigit())[-4:],
        education=cleaned.get("education") or "",
        employer=cleaned.get("employer") or "",
        address=cleaned.get("address") or "",
        group=group,
        applied_on=applied_on,
        last_step_on=applied_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


RELATED_SCOPED = (
    "steps",
    "documents",
    "mentors",
    "sponsors",
    "vettings",
    "trainings",
    "signoffs",
    "gate_overrides",
    "probation_decisions",
    "notices",
    "votes",
)


@transaction.atomic
def transfer_case(*, actor, case, organisation, transferred_on, reason: str) -> CaseTransfer:
    """Move a case to another branch mid-way; the history stays with the case (all its rows move)."""
    case = lock_case(actor, case)
    target = check_branch(actor, organisation)
    if target.pk == case.organisation_id:
        raise ValidationError({"organisation": "接收党支部：与当前党支部相同"})
    reason = base.text({"reason": reason}, "reason", "原因", limit=255)
    if not isinstance(transferred_on, datetime.date) or transferred_on > today():
        raise ValidationError({"transferred_on": "转接日期：必填，且不能晚于今天"})
    transfer = CaseTransfer.objects.create(
        case=case,
        org_path=target.path,
        from_organisation=case.organisation,
        from_path=case.org_path,
        to_organisation=target,
        transferred_on=transferred_on,
        reason=reason,
        step_at_transfer=case.step,
        actor=actor,
    )
    old_path = case.org_path
    case.organisation, case.org_path, case.region_code = target, target.path, target.region_code
    case.save()
    for name in RELATED_SCOPED:
        getattr(case, name).update(org_path=target.path)
    Objection.objects.filter(notice__case=case).update(org_path=target.path)
    AdmissionForm.objects.filter(case=case).update(org_path=target.path)
    audit.record(
        actor=actor,
        action="recruitment.case.transferred",
        target=case,
        org=target,
        before={"org_path": old_path},
        after={"org_path": target.path, "reason": reason, "transferred_on": transferred_on},
    )
    reread(actor, case)
    return transfer


@transaction.atomic
def record_gate_override(*, actor, case, rule_code: str, reason: str) -> GateOverride:
    """Let one step pass a discretionary gate (rules.OVERRIDABLE), by a committee-level user with a
    written reason; shown on the case and audited (docs/rules.md §1, rule sets)."""
    case = lock_case(actor, case)
    if not supervises(actor, case.organisation):
        raise ValidationError({"rule": "特批须由上级党委或组织部门的工作人员办理"})
    code = rule_code.split(":", 1)[-1]
    if code not in rules.OVERRIDABLE:
        raise ValidationError({"rule": f"规则 {rule_code} 是全国统一的硬性规定，不能特批"})
    reason = base.text({"reason": reason}, "reason", "理由")
    if len(reason) < 10:
        raise ValidationError({"reason": "理由：请写明特殊情况（不少于10个字）"})
    rule = Rule.objects.filter(rule_set=rules.applicable_rule_set(today()), code=code).first()
    if rule is None:
        raise ValidationError({"rule": f"规则：未找到 {rule_code}"})
    override = GateOverride.objects.create(
        case=case, org_path=case.org_path, rule=rule, step=rule.step, reason=reason, actor=actor
    )
    audit.record(
        actor=actor,
        action="recruitment.gate.overridden",
        target=case,
        org=case.organisation,
        after={"rule": rule.qualified_code, "reason": reason, "override": override.pk},
    )
    return override


@transaction.atomic
def set_rule_override(
    *, actor, rule, organisation, reason: str, minimum=None, maximum=None, enabled=True, kind: str = ""
) -> RuleOverride:
    """A provincial (or lower) administrator makes a rule stricter for their subtree — never looser."""
    org = organisation
    if not _in_scope(actor, org):
        raise Http404("未找到该党组织，或您无权调整")
    if not _is_provincial(actor):
        raise ValidationError(
            {"organisation": "只有省级组织部门的管理员可以调整发展党员规则（docs/rules.md §1：地方只能从严）"}
        )
    for key, value in (("minimum", minimum), ("maximum", maximum)):
        if value is not None and (value < 0 or (rule.unit != "hours" and value != int(value))):
            raise ValidationError(
                {key: f"{key}：应为不小于0的整数（单位：{rules.UNIT_LABELS.get(rule.unit, '个')}）"}
            )
    looser = rules.looser_fields(rule, minimum=minimum, maximum=maximum, enabled=enabled, kind=kind)
    if looser:
        raise ValidationError(
            {
                looser[
                    0
                ]: f"只能从严调整，不能放宽规则 {rule.qualified_code}（docs/rules.md §1：地方只能从严，不能放宽）"
            }
        )
    reason = base.text({"reason": reason}, "reason", "理由", limit=500)
    override, _ = RuleOverride.objects.update_or_create(
        rule=rule,
        organisation=org,
        defaults={
            "org_path": org.path,
            "minimum": minimum,
            "maximum": maximum,
            "enabled": enabled,
            "kind": kind,
            "reason": reason,
            "set_by": actor,
        },
    )
    audit.record(
        actor=actor,
        action="recruitment.rule.tightened",
        target=override,
        org=org,
        before={"minimum": rule.minimum, "maximum": rule.maximum, "enabled": rule.enabled},
        after={
            "rule": rule.qualified_code,
            "minimum": minimum,
            "maximum": maximum,
            "enabled": enabled,
            "kind": kind,
            "reason": reason,
        },
    )
    return override


def _in_scope(actor, org) -> bool:
    return scope_of(actor).allows(Action.CHANGE, org.path)


def _is_provincial(actor) -> bool:
    scope = scope_of(actor)
    return scope.is_superuser or any(role == Role.PROVINCE for _path, role in scope.grants)


def archive_checklist(case: Case) -> list[tuple[str, str, bool]]:
    """Step 25: (kind, label, present) for each document the file must hold (docs/rules.md §1 step 25)."""
    present = set(StepDocument.objects.filter(case=case).values_list("kind", flat=True))
    return [(kind.value, kind.label, kind.value in present) for kind in ARCHIVE_CHECKLIST]


@transaction.atomic
def archive_case(*, actor, case, archived_on, allow_missing: bool = False):
    """Step 25: the file goes to the committee; missing items are named (warning, or refused)."""
    case = lock_case(actor, case)
    base.check_order(case, 25, archived_on)
    missing = [label for _kind, label, ok in archive_checklist(case) if not ok]
    if missing and not allow_missing:
        raise ValidationError({"documents": f"档案缺少：{'、'.join(missing)}（docs/rules.md §1 第25步）"})
    alerts = [f"{rules.RULE_SET_2014}:step25.archive_checklist：缺少{'、'.join(missing)}"] if missing else []
    record = add_step(actor, case, 25, archived_on, fields={"missing": missing}, alerts=alerts)
    case.status, case.archived_on = CaseStatus.ARCHIVED, archived_on
    case.save()
    audit.record(
        actor=actor,
        action="recruitment.case.archived",
        target=case,
        org=case.organisation,
        after={"archived_on": archived_on, "missing": missing, "step": STEP_NAMES[25]},
    )
    return record


@transaction.atomic
def add_document(*, actor, case, kind: str, title: str, file, step_record=None) -> StepDocument:
    """Keep an upload in the case file (the step-25 checklist counts documents by kind)."""
    case = lock_case(actor, case)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": f"材料类别：代码“{kind}”不在代码表中"})
    if file is None:
        raise ValidationError({"file": "文件：必填"})
    if step_record is not None and not case.steps.filter(pk=getattr(step_record, "pk", step_record)).exists():
        raise ValidationError({"step_record": "步骤：不属于该发展党员记录"})
    document = StepDocument.objects.create(
        case=case,
        org_path=case.org_path,
        kind=kind,
        title=base.text({"title": title}, "title", "名称", limit=200),
        file=file,
        step_record_id=getattr(step_record, "pk", step_record),
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action="recruitment.document.added",
        target=case,
        org=case.organisation,
        after={"document": document.pk, "kind": kind, "title": document.title},
    )
    return document

"""小微权力清单: the county's catalogue, cases that follow their template step by step, notices and
objections, and whistle-blowing reports routed to the village's supervisors (docs/rules.md §9)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, parent_path, scope_of
from qiangji.governance.choices import (
    CaseStatus,
    ContactRole,
    ObjectionStatus,
    Outcome,
    ReportStatus,
    StepRole,
)
from qiangji.governance.models import (
    CaseStep,
    Objection,
    PowerCase,
    PowerItem,
    PowerStep,
    SupervisionContact,
    WhistleReport,
)
from qiangji.governance.selectors import county_of
from qiangji.governance.services.base import (
    audited_refusal,
    check_disclosure,
    may_take,
    provisional_number,
    text,
)
from qiangji.orgs.models import Organisation

ORDER_RULE = "小微权力事项须按清单规定的流程逐步办理，不得跳步、倒序（docs/rules.md §9，《中国共产党农村基层组织工作条例》第十九条）"
NOTICE_RULE = (
    "公示期满且异议处理完毕后方可进入下一环节（docs/rules.md §9，《最低生活保障审核确认办法》第二十三条☑）"
)
ROLE_RULE = "每个环节由清单规定的办理主体办理：村级环节由本村，乡镇环节由乡镇（街道），县级环节由县级部门（docs/rules.md §9）"


def _date(value, field: str, label: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError({field: f"请填写{label}"})
    if value > today():
        raise ValidationError({field: f"{label}不能晚于今天"})
    return value


def _village(actor, village, action=Action.CHANGE) -> Organisation:
    org = Organisation.objects.visible_to(actor, action).filter(pk=getattr(village, "pk", village)).first()
    if org is None:
        raise ValidationError({"village": "村（社区）党组织不存在，或不在您的管理范围内"})
    return org


# ----- the catalogue ----------------------------------------------------------------------------------


@transaction.atomic
def adopt_item(*, actor, county, template: PowerItem) -> PowerItem:
    """The county copies a national template (with its steps) into its own list, to edit it there."""
    county = _village(actor, county)
    if template.org_path != "":
        raise ValidationError({"template": "只能采用全国模板"})
    if PowerItem.objects.filter(org_path=county.path, code=template.code).exists():
        raise ValidationError({"template": f"“{county.name}”已采用“{template.title}”"})
    item = PowerItem.objects.create(
        org_path=county.path,
        region_code=county.region_code,
        code=template.code,
        title=template.title,
        legal_basis=template.legal_basis,
        conditions=template.conditions,
        source=template.source,
    )
    PowerStep.objects.bulk_create(
        PowerStep(
            item=item,
            order=step.order,
            name=step.name,
            role=step.role,
            time_limit_days=step.time_limit_days,
            required_documents=list(step.required_documents),
            notice_days=step.notice_days,
        )
        for step in template.steps.all()
    )
    audit.record(
        actor=actor, action="governance.item.adopted", target=item, org=county, after={"code": item.code}
    )
    return item


@audited_refusal("修改小微权力事项")
@transaction.atomic
def update_item(
    *, actor, item: PowerItem, title, legal_basis, conditions, source, is_active=True
) -> PowerItem:
    item = get_in_scope_or_404(PowerItem, actor, item.pk, Action.CHANGE, lock=True)
    if item.org_path == "":
        raise ValidationError({"item": "全国模板不能修改，请先由县级采用"})
    before = audit.snapshot(item, ["title", "legal_basis", "conditions", "source", "is_active"])
    item.title = text(title, "title", "事项名称", max_length=100)
    item.legal_basis = text(legal_basis, "legal_basis", "法律政策依据", max_length=2000)
    item.conditions = text(conditions, "conditions", "办理条件", max_length=2000)
    item.source = text(source, "source", "来源", max_length=255)
    item.is_active = bool(is_active)
    item.save()
    after = audit.snapshot(item, ["title", "legal_basis", "conditions", "source", "is_active"])
    audit.record(
        actor=actor,
        action="governance.item.updated",
        target=item,
        org_path=item.org_path,
        before=before,
        after=after,
    )
    return item


@audited_refusal("修改办理环节")
@transaction.atomic
def save_step(
    *,
    actor,
    item: PowerItem,
    order: int,
    name,
    role,
    time_limit_days=None,
    required_documents=(),
    notice_days=0,
) -> PowerStep:
    """Add or change step `order` of a county's item (open cases keep the steps they were opened with)."""
    item = get_in_scope_or_404(PowerItem, actor, item.pk, Action.CHANGE, lock=True)
    if item.org_path == "":
        raise ValidationError({"item": "全国模板不能修改，请先由县级采用"})
    if not isinstance(order, int) or not 1 <= order <= 30:
        raise ValidationError({"order": "顺序应为1至30的整数"})
    if role not in StepRole.values:
        raise ValidationError({"role": "请选择办理主体"})
    for value, field in ((time_limit_days, "time_limit_days"), (notice_days, "notice_days")):
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 365):
            raise ValidationError({field: "天数应为0至365的整数"})
    documents = [text(doc, "required_documents", "材料名称", max_length=60) for doc in required_documents]
    step, _created = PowerStep.objects.update_or_create(
        item=item,
        order=order,
        defaults={
            "name": text(name, "name", "环节名称", max_length=60),
            "role": role,
            "time_limit_days": time_limit_days or None,
            "required_documents": documents,
            "notice_days": notice_days or 0,
        },
    )
    audit.record(
        actor=actor,
        action="governance.step.saved",
        target=item,
        org_path=item.org_path,
        after=audit.snapshot(
            step, ["order", "name", "role", "time_limit_days", "required_documents", "notice_days"]
        ),
    )
    return step


# ----- cases -------------------------------------------------------------------------------------------


@audited_refusal("受理小微权力事项")
@transaction.atomic
def open_case(*, actor, village, item: PowerItem, applicant_name, subject, opened_on=None) -> PowerCase:
    """A case opens on the village's applicable item with a copy of its steps; step 1 is still to be taken."""
    village = _village(actor, village)
    county = county_of(village)
    if item.org_path not in ("", getattr(county, "path", None)) or not item.is_active:
        raise ValidationError({"item": "该事项不在本县小微权力清单内"})
    steps: list[dict] = [
        {
            "order": step.order,
            "name": step.name,
            "role": step.role,
            "time_limit_days": step.time_limit_days,
            "required_documents": list(step.required_documents),
            "notice_days": step.notice_days,
        }
        for step in item.steps.order_by("order")
    ]
    if not steps:
        raise ValidationError({"item": "该事项尚未设置办理流程"})
    opened_on = _date(opened_on or today(), "opened_on", "受理日期")
    case = PowerCase.objects.create(
        item=item,
        village=village,
        org_path=village.path,
        region_code=village.region_code,
        number=provisional_number(),
        applicant_name=text(applicant_name, "applicant_name", "申请人姓名", max_length=50),
        subject=text(subject, "subject", "事由", max_length=200),
        steps=steps,
        next_order=int(steps[0]["order"]),
        opened_on=opened_on,
    )
    case.number = f"XW{case.opened_on:%Y}{case.pk:07d}"
    case.save(update_fields=["number"])
    audit.record(
        actor=actor,
        action="governance.case.opened",
        target=case,
        org=village,
        after={"item": item.code, "subject": case.subject},
    )
    return case


@audited_refusal("办理小微权力事项环节")
@transaction.atomic
def take_step(
    *,
    actor,
    case: PowerCase,
    order: int,
    done_on,
    person_name,
    outcome: str = Outcome.PASS,
    note: str = "",
    documents=(),
    notice_text: str = "",
) -> CaseStep:
    """Take step `order` of the case: only the next one, by its role, after the previous notice has run its
    full window with every objection resolved, with the template's documents; a notice step publishes a text
    checked for personal data.  A failed review ends the case; the last step completes it."""
    case = get_in_scope_or_404(PowerCase, actor, case.pk, Action.CHANGE, lock=True)
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"order": f"该事项已{case.get_status_display()}，不能继续办理"})
    spec = case.step_spec(order) if isinstance(order, int) else None
    if spec is None:
        raise ValidationError({"order": "该事项的办理流程中没有这个环节"})
    expected = case.step_spec(case.next_order)
    if order != case.next_order:
        done = order < case.next_order
        raise ValidationError(
            {
                "order": (
                    f"“{spec['name']}”已办理，不能重复办理。"
                    if done
                    else f"不能跳过“{expected['name']}”直接办理“{spec['name']}”：下一环节是第{case.next_order}步“{expected['name']}”。"  # type: ignore[index]
                )
                + ORDER_RULE
            }
        )
    if not may_take(
        actor,
        spec["role"],
        case.org_path,
        case.item.org_path or (getattr(county_of(case.village), "path", "") or ""),
    ):
        raise ValidationError(
            {"order": f"“{spec['name']}”应由{StepRole(spec['role']).label}办理，您无权办理。{ROLE_RULE}"}
        )
    done_on = _date(done_on, "done_on", "办理日期")
    previous = case.records.order_by("-order").first()
    start = previous.done_on if previous else case.opened_on
    if done_on < start:
        raise ValidationError({"done_on": f"办理日期不能早于上一环节（{start:%Y-%m-%d}）"})
    if previous is not None and previous.is_notice:
        if done_on <= previous.notice_to:
            raise ValidationError(
                {
                    "done_on": f"“{previous.name}”公示期至 {previous.notice_to:%Y-%m-%d}，期满后方可办理“{spec['name']}”。{NOTICE_RULE}"
                }
            )
        start = previous.notice_to  # type: ignore[assignment]
        pending = previous.objections.filter(status=ObjectionStatus.OPEN).count()
        if pending:
            raise ValidationError(
                {
                    "order": f"公示期间收到的{pending}条异议尚未核实处理，不能办理“{spec['name']}”。{NOTICE_RULE}"
                }
            )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择通过或不通过"})
    given = [str(doc).strip() for doc in documents or ()]
    missing = [doc for doc in spec["required_documents"] if doc not in given]
    if missing:
        raise ValidationError({"documents": f"缺少须提交的材料：{'、'.join(missing)}（清单规定）"})
    notice = None
    if spec["notice_days"]:
        notice = check_disclosure(notice_text, "notice_text", full_names=[case.applicant_name])
    elif notice_text:
        raise ValidationError({"notice_text": "该环节不是公示环节"})
    limit = spec.get("time_limit_days")
    record = CaseStep.objects.create(
        case=case,
        org_path=case.org_path,
        region_code=case.region_code,
        order=order,
        name=spec["name"],
        done_on=done_on,
        done_by=actor,
        person_name=text(person_name, "person_name", "经办人", max_length=50),
        outcome=outcome,
        note=text(note, "note", "意见", max_length=500, required=outcome == Outcome.FAIL),
        documents=given,
        late=bool(limit) and (done_on - start).days > limit,
        notice_text=notice or "",
        notice_from=done_on if notice else None,
        notice_to=done_on + datetime.timedelta(days=spec["notice_days"] - 1) if notice else None,
    )
    later = [step["order"] for step in case.steps if step["order"] > order]
    if outcome == Outcome.FAIL:
        case.status, case.closed_on = CaseStatus.REFUSED, done_on
    elif later:
        case.next_order = min(later)
    else:
        case.status, case.closed_on = CaseStatus.COMPLETED, done_on
    case.save()
    audit.record(
        actor=actor,
        action="governance.case.step",
        target=case,
        org_path=case.org_path,
        after={
            "order": order,
            "name": spec["name"],
            "outcome": outcome,
            "done_on": done_on,
            "late": record.late,
        },
    )
    return record


@audited_refusal("登记公示异议")
@transaction.atomic
def raise_objection(*, actor, case: PowerCase, received_on, content) -> Objection:
    """An objection to the case's current notice, received within its window (both days included)."""
    case = get_in_scope_or_404(PowerCase, actor, case.pk, Action.CHANGE, lock=True)
    received_on = _date(received_on, "received_on", "收到日期")
    notice = case.records.filter(notice_from__isnull=False).order_by("-order").first()
    if notice is None or notice.order != max(case.records.values_list("order", flat=True)):
        raise ValidationError({"received_on": "该事项当前不在公示期"})
    if not notice.notice_from <= received_on <= notice.notice_to:
        raise ValidationError(
            {
                "received_on": f"公示期为 {notice.notice_from:%Y-%m-%d} 至 {notice.notice_to:%Y-%m-%d}，"
                f"{received_on:%Y-%m-%d} 不在公示期内（公示期外的意见请按来信来访办理）"
            }
        )
    objection = Objection.objects.create(
        case=case,
        notice=notice,
        org_path=case.org_path,
        region_code=case.region_code,
        received_on=received_on,
        content=text(content, "content", "异议内容", max_length=2000),
    )
    audit.record(
        actor=actor,
        action="governance.objection.raised",
        target=case,
        org_path=case.org_path,
        after={"objection": objection.pk},
    )
    return objection


@audited_refusal("处理公示异议")
@transaction.atomic
def resolve_objection(*, actor, objection: Objection, upheld: bool, resolution, resolved_on) -> Objection:
    """Verified and answered: dismissed, the case goes on; upheld, the case ends as not passed."""
    objection = get_in_scope_or_404(Objection, actor, objection.pk, Action.CHANGE, lock=True)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError({"resolution": "该异议已处理"})
    resolved_on = _date(resolved_on, "resolved_on", "处理日期")
    if resolved_on < objection.received_on:
        raise ValidationError({"resolved_on": "处理日期不能早于收到日期"})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution = text(resolution, "resolution", "核实处理意见", max_length=500)
    objection.resolved_on = resolved_on
    objection.save()
    case = objection.case
    if upheld and case.status == CaseStatus.OPEN:
        case.status, case.closed_on = CaseStatus.REFUSED, resolved_on
        case.save()
    audit.record(
        actor=actor,
        action="governance.objection.resolved",
        target=case,
        org_path=case.org_path,
        after={"objection": objection.pk, "status": objection.status},
    )
    return objection


# ----- whistle-blowing -------------------------------------------------------------------------------------


@audited_refusal("指定村级监督联系人")
@transaction.atomic
def add_contact(*, actor, village, user, role: str) -> SupervisionContact:
    """Designated from above the village (the township), never by the village's own officers."""
    village = _village(actor, village)
    if not scope_of(actor).allows_above(Action.CHANGE, village.path):
        raise ValidationError({"village": "村级监督联系人由乡镇（街道）党（工）委指定（docs/rules.md §9）"})
    if role not in ContactRole.values:
        raise ValidationError({"role": "请选择身份"})
    if user is None or not getattr(user, "pk", None):
        raise ValidationError({"user": "请选择账号"})
    contact, created = SupervisionContact.objects.get_or_create(
        village=village,
        user=user,
        defaults={"org_path": village.path, "region_code": village.region_code, "role": role},
    )
    if not created:
        raise ValidationError({"user": "该账号已是本村监督联系人"})
    audit.record(
        actor=actor,
        action="governance.contact.added",
        target=contact,
        org=village,
        after={"user": user.pk, "role": role},
    )
    return contact


@audited_refusal("受理举报")
@transaction.atomic
def receive_report(
    *, actor, village, content, named_text: str = "", named_users=(), received_on=None
) -> WhistleReport:
    """Anyone signed in may report about a village in the platform (the report goes to its supervisors and
    above, never to its own officers); `named_users` are the accounts of the officers it names."""
    org = Organisation.objects.filter(pk=getattr(village, "pk", village), dissolved_on__isnull=True).first()
    if org is None:
        raise ValidationError({"village": "请选择被举报的村（社区）"})
    received_on = _date(received_on or today(), "received_on", "收到日期")
    report = WhistleReport.objects.create(
        village=org,
        org_path=org.path,
        region_code=org.region_code,
        number=provisional_number(),
        received_on=received_on,
        content=text(content, "content", "举报内容", max_length=5000),
        named_text=text(named_text, "named_text", "被反映人", max_length=200, required=False),
    )
    report.number = f"JB{received_on:%Y}{report.pk:07d}"
    report.save(update_fields=["number"])
    report.named_users.set([user for user in named_users if getattr(user, "pk", None)])
    audit.record(
        actor=actor,
        action="governance.report.received",
        target=report,
        org=org,
        after={"named_users": sorted(user.pk for user in report.named_users.all())},
    )
    return report


@audited_refusal("举报办结")
@transaction.atomic
def close_report(*, actor, report: WhistleReport, outcome, closed_on) -> WhistleReport:
    report = get_in_scope_or_404(WhistleReport, actor, report.pk, Action.CHANGE, lock=True)
    if report.status == ReportStatus.CLOSED:
        raise ValidationError({"outcome": "该举报已办结"})
    closed_on = _date(closed_on, "closed_on", "办结日期")
    if closed_on < report.received_on:
        raise ValidationError({"closed_on": "办结日期不能早于收到日期"})
    report.outcome = text(outcome, "outcome", "办理结果", max_length=5000)
    report.status, report.closed_on = ReportStatus.CLOSED, closed_on
    report.save()
    audit.record(
        actor=actor,
        action="governance.report.closed",
        target=report,
        org_path=report.org_path,
        after={"closed_on": closed_on},
    )
    return report


def read_report(*, actor, pk, action: str = Action.VIEW) -> WhistleReport:
    """The report through its routing; 404 outside it.  A read refused because the report names the reader
    or the reader is one of the village's own officers is audited (on the township's path, where the
    village's officers cannot read it); a probe of a report outside the reader's subtree is a plain 404."""
    try:
        return get_in_scope_or_404(WhistleReport, actor, pk, action)
    except Http404:
        report = (
            WhistleReport.objects.filter(pk=pk).first() if str(pk).isdigit() and len(str(pk)) < 19 else None
        )
        if report is not None and (
            report.named_users.filter(pk=actor.pk).exists()
            or scope_of(actor).allows(Action.VIEW, report.org_path)
        ):
            with transaction.atomic():
                audit.record(
                    actor=actor,
                    action="governance.report.read_refused",
                    org_path=parent_path(report.org_path),
                    after={"report": report.pk, "named": report.named_users.filter(pk=actor.pk).exists()},
                    target_repr=f"举报 {report.number}",
                )
        raise Http404(NOT_FOUND) from None

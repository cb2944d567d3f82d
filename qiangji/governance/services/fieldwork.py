"""联系点、走访、蹲点、四不两直: contact points, visits with photos checked by content, and every finding
tracked to closure with an owner, a deadline and evidence (docs/rules.md §9)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.core.uploads import check_image
from qiangji.governance.choices import FindingStatus, PointKind, VisitKind
from qiangji.governance.models import ContactPoint, Finding, Visit, VisitPhoto
from qiangji.governance.services.base import audited_refusal, text
from qiangji.governance.services.powers import _date, _village

PHOTO_MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 9


def check_photo(photo, index: int):
    """The `index`-th visit photo: an image by its content, JPEG/PNG/WebP, at most 8 MB (core.uploads)."""
    return check_image(photo, field="photos", max_bytes=PHOTO_MAX_BYTES, label=f"第{index}张照片")


@audited_refusal("建立联系点")
@transaction.atomic
def add_point(
    *, actor, village, kind: str, since, leader_name, leader_title: str = "", interval_months: int = 3
) -> ContactPoint:
    org = _village(actor, village)
    if kind not in PointKind.values:
        raise ValidationError({"kind": "请选择联系点类型"})
    if not isinstance(interval_months, int) or not 1 <= interval_months <= 24:
        raise ValidationError({"interval_months": "走访间隔应为1至24个月"})
    point = ContactPoint.objects.create(
        leader=actor,
        leader_name=text(leader_name, "leader_name", "联系领导", max_length=50),
        leader_title=text(leader_title, "leader_title", "职务", max_length=60, required=False),
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        kind=kind,
        since=_date(since, "since", "建立日期"),
        interval_months=interval_months,
    )
    audit.record(actor=actor, action="governance.point.added", target=point, org=org, after={"kind": kind})
    return point


@audited_refusal("登记走访调研")
@transaction.atomic
def record_visit(
    *,
    actor,
    point: ContactPoint,
    kind: str,
    visited_on,
    people,
    summary,
    until=None,
    report: str = "",
    photos=(),
    findings=(),
) -> Visit:
    """One visit; a squat (蹲点) has its last day and a report; each finding becomes a tracked item."""
    point = get_in_scope_or_404(ContactPoint, actor, point.pk, Action.CHANGE, lock=True)
    if kind not in VisitKind.values:
        raise ValidationError({"kind": "请选择走访方式"})
    visited_on = _date(visited_on, "visited_on", "日期")
    if visited_on < point.since:
        raise ValidationError({"visited_on": f"日期不能早于联系点建立日期（{point.since:%Y-%m-%d}）"})
    if kind == VisitKind.SQUAT:
        until = _date(until, "until", "蹲点结束日期")
        if until < visited_on:
            raise ValidationError({"until": "蹲点结束日期不能早于开始日期"})
        report = text(report, "report", "蹲点调研报告", max_length=20000)
    else:
        until, report = None, text(report, "report", "调研报告", max_length=20000, required=False)
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传{MAX_PHOTOS}张照片"})
    checked = [check_photo(photo, index) for index, photo in enumerate(photos, 1)]
    items = []
    for index, row in enumerate(findings or (), 1):
        if not isinstance(row, dict):
            raise ValidationError({"findings": f"第{index}个问题格式不正确"})
        deadline = row.get("deadline")
        if not isinstance(deadline, datetime.date) or deadline < visited_on:
            raise ValidationError({"findings": f"第{index}个问题：请填写不早于走访日期的整改时限"})
        items.append(
            {
                "description": text(row.get("description"), "findings", f"第{index}个问题", max_length=2000),
                "owner_name": text(
                    row.get("owner_name"), "findings", f"第{index}个问题的责任人", max_length=100
                ),
                "deadline": deadline,
            }
        )
    visit = Visit.objects.create(
        point=point,
        org_path=point.org_path,
        region_code=point.region_code,
        kind=kind,
        visited_on=visited_on,
        until=until,
        people=text(people, "people", "参加人员", max_length=300),
        summary=text(summary, "summary", "情况", max_length=20000),
        report=report,
        recorded_by=actor,
    )
    for photo in checked:
        VisitPhoto.objects.create(
            visit=visit, org_path=point.org_path, region_code=point.region_code, image=photo
        )
    Finding.objects.bulk_create(
        Finding(visit=visit, point=point, org_path=point.org_path, region_code=point.region_code, **item)
        for item in items
    )
    audit.record(
        actor=actor,
        action="governance.visit.recorded",
        target=visit,
        org_path=point.org_path,
        after={"kind": kind, "on": visited_on, "photos": len(checked), "findings": len(items)},
    )
    return visit


@audited_refusal("问题整改销号")
@transaction.atomic
def close_finding(*, actor, finding: Finding, evidence, closed_on) -> Finding:
    finding = get_in_scope_or_404(Finding, actor, finding.pk, Action.CHANGE, lock=True)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"evidence": "该问题已销号"})
    closed_on = _date(closed_on, "closed_on", "销号日期")
    if closed_on < finding.visit.visited_on:
        raise ValidationError({"closed_on": "销号日期不能早于发现问题的日期"})
    finding.evidence = text(evidence, "evidence", "销号佐证（整改情况、材料）", max_length=5000)
    finding.status, finding.closed_on = FindingStatus.CLOSED, closed_on
    finding.save()
    audit.record(
        actor=actor,
        action="governance.finding.closed",
        target=finding,
        org_path=finding.org_path,
        after={"closed_on": closed_on, "late": closed_on > finding.deadline},
    )
    return finding

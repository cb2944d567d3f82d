"""在职党员到社区报到 and dual anchors for branches of new employment groups."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.members.models import Member
from qiangji.mobility.choices import AnchorKind, HoursStatus
from qiangji.mobility.models import CommunityReport, DualAnchor, ServicePost, VolunteerHours
from qiangji.mobility.services import base
from qiangji.orgs.choices import OrgCategory
from qiangji.orgs.models import Organisation

MAX_HOURS_A_DAY = Decimal("24")


@transaction.atomic
def anchor_branch(*, actor, branch, second_org, second_kind: str, note: str = "") -> DualAnchor:
    """Both lines see the branch: its own parent line and the second organisation's subtree."""
    branch = base.branch_in_scope(actor, branch)
    second = base.active_org(second_org, "second_org", "第二隶属组织")
    if second_kind not in AnchorKind.values:
        raise ValidationError({"second_kind": "请选择第二隶属类型"})
    if branch.path.startswith(second.path):
        raise ValidationError({"second_org": f"“{second.name}”已是该党支部的上级，无需双重隶属"})
    if DualAnchor.objects.filter(branch=branch, second_org=second).exists():
        raise ValidationError({"second_org": "该双重隶属已建立"})
    anchor = DualAnchor.objects.create(
        branch=branch,
        org_path=branch.path,
        second_org=second,
        other_path=second.path,
        second_kind=second_kind,
        note=(note or "").strip()[:255],
    )
    audit.record(
        actor=actor,
        action="mobility.anchor.created",
        target=anchor,
        org=branch,
        after={"branch": branch.pk, "second_org": second.pk, "second_kind": second_kind},
    )
    return anchor


@transaction.atomic
def remove_anchor(*, actor, anchor: DualAnchor) -> None:
    anchor = get_in_scope_or_404(DualAnchor, actor, anchor.pk, Action.CHANGE, lock=True)
    before = {
        "branch": anchor.branch_id,
        "second_org": anchor.second_org_id,
        "second_kind": anchor.second_kind,
    }
    audit.record(
        actor=actor, action="mobility.anchor.removed", target=anchor, org_path=anchor.org_path, before=before
    )
    anchor.delete()


@transaction.atomic
def add_service_post(*, actor, community, title: str, description: str = "") -> ServicePost:
    org = (
        Organisation.objects.visible_to(actor, Action.CHANGE)
        .filter(pk=getattr(community, "pk", community))
        .first()
    )
    if org is None:
        raise ValidationError({"community": "社区党组织不存在，或不在您的管理范围内"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写服务岗位名称"})
    post = ServicePost.objects.create(
        community=org,
        org_path=org.path,
        title=title.strip()[:100],
        description=(description or "").strip()[:255],
    )
    audit.record(
        actor=actor, action="mobility.post.created", target=post, org=org, after={"title": post.title}
    )
    return post


def _is_self(actor, member: Member) -> bool:
    return member.pk in scope_of(actor).member_ids


@transaction.atomic
def register_with_community(*, actor, member, community, post_ids=(), registered_on=None) -> CommunityReport:
    """The member (or their branch) registers with the community where they live."""
    member = Member.objects.select_for_update().filter(pk=getattr(member, "pk", member)).first()
    if member is None or not (
        _is_self(actor, member) or scope_of(actor).allows(Action.CHANGE, member.org_path)
    ):
        raise Http404(NOT_FOUND)
    org = base.active_org(community, "community", "社区党组织")
    if org.category != OrgCategory.COMMUNITY:
        raise ValidationError({"community": f"“{org.name}”不是社区党组织，请选择居住地社区"})
    if CommunityReport.objects.filter(member=member, ended_on__isnull=True).exists():
        raise ValidationError({"community": "您已在社区报到，如搬家请先结束原报到"})
    posts = list(
        ServicePost.objects.filter(pk__in=list(post_ids or []), org_path__startswith=org.path, is_open=True)
    )
    if len(posts) != len(set(post_ids or [])):
        raise ValidationError({"posts": "所选服务岗位不属于该社区或已关闭"})
    report = CommunityReport.objects.create(
        member=member,
        org_path=member.org_path,
        community=org,
        other_path=org.path,
        registered_on=registered_on or today(),
    )
    report.posts.set(posts)
    audit.record(
        actor=actor,
        action="mobility.report.registered",
        target=report,
        org=org,
        after={"community": org.pk, "posts": [p.pk for p in posts]},
    )
    return report


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": "服务时长应为数字（小时）"})
    if not Decimal("0") < hours <= MAX_HOURS_A_DAY:
        raise ValidationError({"hours": "服务时长应大于0且不超过24小时"})
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def record_hours(
    *, actor, report, served_on: datetime.date, hours, description: str, post=None
) -> VolunteerHours:
    report = CommunityReport.objects.select_related("member").filter(pk=getattr(report, "pk", report)).first()
    if report is None or not (
        _is_self(actor, report.member) or scope_of(actor).allows(Action.CHANGE, report.other_path)
    ):
        raise Http404(NOT_FOUND)
    if not served_on or served_on > today():
        raise ValidationError({"served_on": "服务日期不能为空，也不能晚于今天"})
    if not (description or "").strip():
        raise ValidationError({"description": "请填写服务内容"})
    post_obj = report.posts.filter(pk=getattr(post, "pk", post)).first() if post else None
    entry = VolunteerHours.objects.create(
        report=report,
        org_path=report.org_path,
        other_path=report.other_path,
        served_on=served_on,
        hours=_hours(hours),
        post=post_obj,
        description=description.strip()[:255],
    )
    audit.record(
        actor=actor,
        action="mobility.hours.recorded",
        target=entry,
        org_path=report.other_path,
        after={"served_on": served_on, "hours": entry.hours, "description": entry.description},
    )
    return entry


@transaction.atomic
def decide_hours(*, actor, entry, confirm: bool) -> VolunteerHours:
    """Only the community confirms; the employer's branch then sees confirmed hours."""
    entry = get_in_scope_or_404(VolunteerHours, actor, entry.pk, Action.CHANGE, lock=True)
    if not scope_of(actor).allows(Action.CHANGE, entry.other_path):
        raise ValidationError({"status": "志愿服务时长由报到社区确认"})
    if entry.status != HoursStatus.PENDING:
        raise ValidationError({"status": "该记录已处理"})
    entry.status = HoursStatus.CONFIRMED if confirm else HoursStatus.REJECTED
    entry.decided_by, entry.decided_on = actor, today()
    entry.save()
    audit.record(
        actor=actor,
        action="mobility.hours.decided",
        target=entry,
        org_path=entry.other_path,
        before={"status": HoursStatus.PENDING},
        after={"status": entry.status},
    )
    return entry

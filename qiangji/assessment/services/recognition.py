"""Recognition (表彰): nominate → review above → public notice → award, recorded on the nominee's record
(read by `selectors.awards_of_member` / `awards_of_org`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.assessment.choices import NominationStatus, NomineeKind
from qiangji.assessment.models import Nomination
from qiangji.assessment.services.base import require_above, require_in_scope, require_text
from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.members.choices import ON_ROLL
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation

NOTICE_DAYS = 5  # public notice of an award: 5 days, both ends included (local example, docs/rules.md §6)


@transaction.atomic
def nominate(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    award: str,
    year: int,
    reason: str,
    member: Member | None = None,
    team_name: str = "",
) -> Nomination:
    require_in_scope(actor, organisation.path, Action.CHANGE)
    if kind not in NomineeKind.values:
        raise ValidationError({"kind": "推荐对象类型不正确"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度须在2000至2100之间"})
    if kind == NomineeKind.MEMBER:
        if (
            member is None
            or not member.org_path.startswith(organisation.path)
            or member.status not in ON_ROLL
        ):
            raise ValidationError({"member": "请选择本组织在册党员"})
        name = member.name
    elif kind == NomineeKind.TEAM:
        name = require_text(team_name, "team_name", "团队名称")
        member = None
    else:
        name, member = organisation.name, None
    row = Nomination.objects.create(
        kind=kind,
        organisation=organisation,
        member=member,
        nominee_name=name[:200],
        award=require_text(award, "award", "表彰名称")[:120],
        year=year,
        reason=require_text(reason, "reason", "主要事迹"),
        nominated_by=actor,
        org_path=member.org_path if member else organisation.path,
        region_code=organisation.region_code,
    )
    audit.record(
        actor=actor,
        action="assessment.nomination.created",
        target=row,
        org=organisation,
        after={"award": row.award, "nominee": name},
    )
    return row


def _lock(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related("organisation").get(pk=nomination.pk)


@transaction.atomic
def review_nomination(*, actor, nomination: Nomination, approve: bool, note: str) -> Nomination:
    nomination = _lock(nomination)
    require_in_scope(actor, nomination.org_path, Action.VIEW)
    require_above(actor, nomination.organisation, "review_note")
    if nomination.status != NominationStatus.NOMINATED:
        raise ValidationError({"review_note": "该推荐已审核"})
    nomination.review_note = require_text(note, "review_note", "审核意见")
    nomination.status = NominationStatus.REVIEWED if approve else NominationStatus.REJECTED
    nomination.decided_by = actor
    nomination.save()
    audit.record(
        actor=actor,
        action="assessment.nomination.reviewed",
        target=nomination,
        org_path=nomination.org_path,
        after={"approve": bool(approve)},
    )
    return nomination


@transaction.atomic
def notice_nomination(*, actor, nomination: Nomination, starts_on: datetime.date | None = None) -> Nomination:
    nomination = _lock(nomination)
    require_in_scope(actor, nomination.org_path, Action.VIEW)
    require_above(actor, nomination.organisation, "notice_starts")
    if nomination.status != NominationStatus.REVIEWED:
        raise ValidationError({"notice_starts": "审核通过后才能公示"})
    nomination.notice_starts = starts_on or today()
    nomination.notice_ends = nomination.notice_starts + datetime.timedelta(days=NOTICE_DAYS - 1)
    nomination.status = NominationStatus.NOTICE
    nomination.save()
    audit.record(
        actor=actor,
        action="assessment.nomination.noticed",
        target=nomination,
        org_path=nomination.org_path,
        after={"ends": nomination.notice_ends},
    )
    return nomination


@transaction.atomic
def award_nomination(*, actor, nomination: Nomination, on: datetime.date | None = None) -> Nomination:
    nomination = _lock(nomination)
    require_in_scope(actor, nomination.org_path, Action.VIEW)
    require_above(actor, nomination.organisation, "awarded_on")
    on = on or today()
    if nomination.status != NominationStatus.NOTICE or nomination.notice_ends is None:
        raise ValidationError({"awarded_on": "公示后才能表彰"})
    if on <= nomination.notice_ends:
        raise ValidationError({"awarded_on": f"公示期至{nomination.notice_ends:%Y-%m-%d}，期满后才能表彰"})
    nomination.status, nomination.awarded_on, nomination.decided_by = NominationStatus.AWARDED, on, actor
    nomination.save()
    audit.record(
        actor=actor,
        action="assessment.nomination.awarded",
        target=nomination,
        org_path=nomination.org_path,
        after={"award": nomination.award},
    )
    return nomination

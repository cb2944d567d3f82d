"""Committee elections (换届): the term length comes from the TermRule table (docs/rules.md §2 terms)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core.audit import record
from qiangji.core.choices import Action
from qiangji.core.dates import add_years, today
from qiangji.orgs import membership
from qiangji.orgs.choices import Post
from qiangji.orgs.models import Committee, CommitteeMember, Organisation, StructureRule
from qiangji.orgs.selectors import term_rule_for
from qiangji.orgs.services.base import refuse, require

POSTS = dict(Post.choices)


def _seat_member(actor, org, member):
    """A seat's member must be a full member of the organisation's subtree (docs/rules.md §2: only full members stand)."""
    if member in (None, ""):
        return None
    found = membership.subtree_members(org, actor).filter(pk=getattr(member, "pk", member)).first()
    if found is None:
        raise ValidationError("所选党员不在本组织内，或您无权查看")
    if not membership.is_full_member(found):
        raise ValidationError(
            f"{found.name}不是正式党员，不能当选（docs/rules.md §2 选举：只有正式党员有选举权和被选举权）"
        )
    return found


def _clean_seats(actor, org, seats) -> list[dict]:
    cleaned, errors = [], []
    for number, seat in enumerate(seats or [], start=1):
        try:
            member = _seat_member(actor, org, seat.get("member"))
        except ValidationError as exc:
            errors.append(f"第{number}位委员：{exc.messages[0]}")
            continue
        name = (seat.get("name") or (member.name if member else "")).strip()
        post = seat.get("post") or Post.MEMBER
        if not name:
            errors.append(f"第{number}位委员：请填写姓名")
        if post not in POSTS:
            errors.append(f"第{number}位委员：职务“{post}”无效")
        cleaned.append({"name": name, "post": post, "member": member})
    if errors:
        raise ValidationError({"seats": errors})
    return cleaned


def _check_seats(seats: list[dict]) -> None:
    if not seats:
        refuse("请至少填写一名委员（书记）", "seats")
    if sum(seat["post"] == Post.SECRETARY for seat in seats) != 1:
        refuse("委员会应有且只有一名书记", "seats")
    maximum = StructureRule.values().get(StructureRule.COMMITTEE_MAX_SEATS, 7)
    if len(seats) > maximum:
        refuse(
            f"委员会委员不能超过{maximum}人（《中国共产党支部工作条例（试行）》，docs/rules.md §2）", "seats"
        )
    members = [seat["member"].pk for seat in seats if seat["member"]]
    if len(members) != len(set(members)):
        refuse("同一名党员不能重复当选", "seats")


def _check_date(org, elected_on, previous) -> None:
    if not isinstance(elected_on, datetime.date):
        refuse("请填写选举日期", "elected_on")
    if elected_on > today():
        refuse("选举日期不能晚于今天", "elected_on")
    if previous and elected_on <= previous.elected_on:
        refuse(f"选举日期应晚于上届委员会的选举日期（{previous.elected_on:%Y-%m-%d}）", "elected_on")


@transaction.atomic
def elect_committee(*, actor, org, elected_on, seats, note: str = ""):
    """Record an election: the previous committee ends on the election day, the new term follows the TermRule."""
    require(actor, Action.CHANGE, org)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        refuse("该组织已撤销，不能换届")
    rule = term_rule_for(org)
    if rule is None:
        refuse(f"“{org.get_kind_display()}”不实行选举任期制，无需录入换届（docs/rules.md §2 任期）")
    previous = (
        Committee.objects.filter(organisation=org, ended_on__isnull=True).order_by("-elected_on").first()
    )
    _check_date(org, elected_on, previous)
    cleaned = _clean_seats(actor, org, seats)
    _check_seats(cleaned)
    if previous:
        previous.seats.filter(ended_on__isnull=True).update(ended_on=elected_on)
        Committee.objects.filter(pk=previous.pk).update(ended_on=elected_on)
    committee = Committee.objects.create(
        organisation=org,
        org_path=org.path,
        elected_on=elected_on,
        term_years=rule.years,
        term_ends_on=add_years(elected_on, rule.years),
        note=(note or "").strip()[:255],
    )
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                committee=committee,
                org_path=org.path,
                member=seat["member"],
                name=seat["name"],
                post=seat["post"],
                started_on=elected_on,
            )
            for seat in cleaned
        ]
    )
    record(
        actor=actor,
        action="orgs.committee.elected",
        target=committee,
        org=org,
        before={"previous_committee": previous.pk if previous else None},
        after={
            "elected_on": elected_on,
            "term_years": rule.years,
            "term_ends_on": committee.term_ends_on,
            "rule_source": rule.source,
            "seats": [{"name": s["name"], "post": POSTS[s["post"]]} for s in cleaned],
        },
    )
    return committee

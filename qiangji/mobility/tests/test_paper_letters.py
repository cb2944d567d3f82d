"""Paper letters across the platform edge update the roll (docs/rules.md §5): a letter out takes the member off the
old roll (status "transferred_out", still a Party member, through the members app's service); an incoming letter
with the letter's items creates the member in the receiving branch, or links the member the registry knows as
transferred out (moved with every row that follows them, back on the roll)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qiangji.core.models import AuditEntry
from qiangji.life.models import MemberLife
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.selectors import on_roll_count
from qiangji.mobility import services
from qiangji.mobility.models import Transfer
from qiangji.testing import make_id_number

pytestmark = pytest.mark.django_db
TODAY = services.today()


def letter_items(**overrides):
    values = {
        "name": "外来党员",
        "sex": "2",
        "ethnicity": "01",
        "id_number": make_id_number(datetime.date(1990, 5, 6), "2"),
        "birth_date": datetime.date(1990, 5, 6),
        "education": "20",
        "category": "full",
        "joined_on": datetime.date(2012, 6, 1),
        "confirmed_on": datetime.date(2013, 6, 1),
        "status": "full",
        "phone": "13912345678",
        "address": "某县某路1号",
    }
    return values | overrides


def incoming(world, number="2026-001", **kwargs):
    kwargs.setdefault("member_name", kwargs.get("values", {}).get("name", "外来党员"))
    return services.register_incoming_letter(
        actor=world.users["jiedao"],
        organisation=world.community,
        number=number,
        from_org_name="外省某县委组织部",
        issued_on=TODAY - datetime.timedelta(days=3),
        **kwargs,
    )


def test_a_letter_out_takes_the_member_off_the_old_roll(world):
    before = on_roll_count(world.branch)
    letter = services.issue_transfer(
        actor=world.users["zhibu"], member=world.member, to_org_name="外省某县委"
    )
    member = Member.objects.get(pk=world.member.pk)
    assert member.status == "transferred_out" and not member.is_on_roll
    assert member.political_status == "01" and member.organisation == world.branch  # still a Party member
    assert on_roll_count(world.branch) == before - 1
    event = MemberStatusEvent.objects.filter(member=member).latest("pk")
    assert event.status == "transferred_out" and letter.number in event.reason and event.effective_on == TODAY
    assert AuditEntry.objects.filter(action="members.status.recorded", target_id=str(member.pk)).exists()
    with pytest.raises(ValidationError):  # off the roll: no second letter
        services.issue_transfer(actor=world.users["zhibu"], member=member, to_org_name="别处")


def test_an_internal_letter_keeps_the_member_until_accepted(world):
    from qiangji.mobility.tests.factories import station

    st = station(world)
    services.issue_transfer(actor=world.users["zhibu"], member=world.member, to_org=st.committee)
    assert Member.objects.get(pk=world.member.pk).status == "full"


def test_an_incoming_letter_creates_the_member(world):
    items = letter_items()
    transfer = incoming(world, values=items, branch=world.branch2)
    member = transfer.member
    assert (
        member is not None and member.organisation == world.branch2 and member.org_path == world.branch2.path
    )
    assert member.name == "外来党员" and member.status == "full" and member.id_number == items["id_number"]
    assert transfer.to_branch == world.branch2 and transfer.status == "accepted"
    assert AuditEntry.objects.filter(action="members.member.created", target_id=str(member.pk)).exists()
    assert AuditEntry.objects.get(action="mobility.transfer.registered").after["member"] == member.pk


def test_an_incoming_letter_without_items_registers_the_letter_only(world):
    transfer = incoming(world)
    assert transfer.member is None and not Member.objects.filter(name="外来党员").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"values": letter_items(), "branch": None}, "branch"),  # items without a branch
        ({"branch": "branch2"}, "values"),  # a branch without items
        ({"values": letter_items(), "branch": "foreign_branch"}, "branch"),  # outside the receiver
        ({"values": letter_items(), "branch": "community"}, "branch"),  # not a branch
        ({"values": letter_items(name="别人"), "branch": "branch2", "member_name": "外来党员"}, "values"),
        ({"values": letter_items(id_number="123"), "branch": "branch2"}, "id_number"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_saved(world, kwargs, field):
    kwargs = {
        key: getattr(world, value) if key == "branch" and value else value for key, value in kwargs.items()
    }
    with pytest.raises(ValidationError) as refused:
        incoming(world, **kwargs)
    assert field in refused.value.message_dict
    assert not Transfer.objects.exists() and not Member.objects.filter(name="外来党员").exists()


def test_an_incoming_letter_links_the_member_who_left_on_paper(world):
    member = world.member
    MemberLife.objects.create(member=member, org_path=member.org_path, last_attended_on=TODAY)
    out = services.issue_transfer(actor=world.users["zhibu"], member=member, to_org_name="外省某县委")
    member.refresh_from_db()
    back = incoming(
        world,
        values=letter_items(name=member.name, id_number=member.id_number),
        branch=world.branch2,
        member_name=member.name,
    )
    member.refresh_from_db()
    assert back.member == member and member.status == "full" and member.organisation == world.branch2
    assert MemberLife.objects.get(member=member).org_path == world.branch2.path  # the rows followed
    out.refresh_from_db()
    assert (
        out.status == "receipt_returned"
        and Member.objects.filter(id_number_hash=member.id_number_hash).count() == 1
    )


def test_an_incoming_letter_for_a_member_on_a_platform_roll_is_refused(world):
    member = world.member
    with pytest.raises(ValidationError) as refused:
        incoming(
            world,
            values=letter_items(name=member.name, id_number=member.id_number),
            branch=world.branch2,
            member_name=member.name,
        )
    assert "id_number" in refused.value.message_dict
    assert Member.objects.get(pk=member.pk).organisation == world.branch and not Transfer.objects.exists()

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.mobility import selectors, services
from qiangji.mobility.choices import CertificateStatus, FlowStatus, TransferStatus
from qiangji.mobility.models import NumberSequence, Transfer
from qiangji.mobility.tests.factories import FLOW_VALUES, station

pytestmark = pytest.mark.django_db


def issue(world, st, **kwargs):
    return services.issue_transfer(
        actor=world.users["zhibu"], member=world.member, to_org=st.committee, reason="工作调动", **kwargs
    )


def test_transfer_end_to_end_moves_the_member_on_acceptance(world):
    st = station(world)
    transfer = issue(world, st)
    assert transfer.number.startswith("ZJ370124")
    assert transfer.valid_days == 90 and transfer.expires_on == transfer.issued_on + datetime.timedelta(
        days=90
    )
    # The sender keeps responsibility: the member is still in the home branch's scope.
    assert Member.objects.visible_to(world.users["zhibu"]).filter(pk=world.member.pk).exists()
    assert not Member.objects.visible_to(st.committee_user).filter(pk=world.member.pk).exists()
    assert Transfer.objects.visible_to(st.committee_user).filter(pk=transfer.pk).exists()
    services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=st.branch)
    member = Member.objects.get(pk=world.member.pk)
    assert member.organisation == st.branch and member.org_path == st.branch.path
    assert Member.objects.visible_to(st.committee_user).filter(pk=member.pk).exists()
    assert not Member.objects.visible_to(world.users["zhibu"]).filter(pk=member.pk).exists()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.to_branch == st.branch
    moved = AuditEntry.objects.get(action="mobility.member.moved")
    assert moved.before["org_path"] == world.branch.path and moved.after["org_path"] == st.branch.path
    assert AuditEntry.objects.filter(action="mobility.transfer.accepted", target_id=str(transfer.pk)).exists()


def test_transfer_to_a_branch_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.issue_transfer(actor=world.users["zhibu"], member=world.member, to_org=world.foreign_branch)
    assert "接收方必须是基层党委" in str(error.value)
    assert not Transfer.objects.exists() and not AuditEntry.objects.exists()
    assert not NumberSequence.objects.filter(last__gt=0).exists()


def test_foreign_member_cannot_be_transferred(world):
    st = station(world)
    with pytest.raises(Http404):
        services.issue_transfer(actor=world.users["zhibu"], member=world.foreign_member, to_org=st.committee)


@pytest.mark.parametrize(("days_later", "accepted"), [(89, True), (90, True), (91, False)])
def test_letter_validity_boundary(world, days_later, accepted):
    st = station(world)
    with freeze_time("2026-11-01"):
        transfer = issue(world, st)
    with freeze_time(datetime.date(2026, 11, 1) + datetime.timedelta(days=days_later)):
        if accepted:
            services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=st.branch)
        else:
            with pytest.raises(ValidationError, match="介绍信已超过有效期"):
                services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=st.branch)
            assert Member.objects.get(pk=world.member.pk).organisation == world.branch


def test_valid_days_setting(world, settings):
    settings.QIANGJI_LETTER_VALID_DAYS = 30
    assert issue(world, station(world)).valid_days == 30


def test_sender_cannot_accept_and_receiver_must_choose_own_branch(world):
    st = station(world)
    transfer = issue(world, st)
    with pytest.raises(ValidationError, match="只有接收党委"):
        services.accept_transfer(actor=world.users["zhibu"], transfer=transfer, branch=world.branch2)
    with pytest.raises(ValidationError, match="党支部不存在"):
        services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=world.branch2)
    with pytest.raises(Http404):
        services.accept_transfer(actor=world.users["foreign"], transfer=transfer, branch=world.foreign_branch)


def test_return_needs_a_reason_and_is_audited(world):
    st = station(world)
    transfer = issue(world, st)
    with pytest.raises(ValidationError, match="退回原因"):
        services.return_transfer(actor=st.committee_user, transfer=transfer, reason=" ")
    services.return_transfer(actor=st.committee_user, transfer=transfer, reason="介绍信信息有误")
    entry = AuditEntry.objects.get(action="mobility.transfer.returned")
    assert entry.after["return_reason"] == "介绍信信息有误" and entry.after["status"] == "returned"


def test_outgoing_letter_receipt_and_overdue_counts(world):
    with freeze_time("2026-01-10"):
        letter = services.issue_transfer(
            actor=world.users["zhibu"],
            member=world.member,
            to_org_name="外省某县委组织部",
            dues_paid=datetime.date(2025, 12, 5),
        )
    assert letter.kind == "outgoing" and letter.receipt_due_on == datetime.date(2026, 5, 10)
    assert letter.dues_paid_to == datetime.date(2025, 12, 1)
    assert selectors.overdue_counts_by_org(world.users["xian"], datetime.date(2026, 5, 10)) == []
    rows = selectors.overdue_counts_by_org(world.users["xian"], datetime.date(2026, 5, 11))
    assert rows == [
        {"from_org": world.branch.pk, "from_org_name": world.branch.name, "transfers": 0, "receipts": 1}
    ]
    assert selectors.overdue_counts_by_org(world.users["foreign"], datetime.date(2026, 5, 11)) == []
    with freeze_time("2026-02-01"):
        services.record_receipt(actor=world.users["zhibu"], transfer=letter)
    letter.refresh_from_db()
    assert letter.status == TransferStatus.RECEIPT_RETURNED


def test_incoming_letter_past_validity_is_refused(world):
    with freeze_time("2026-06-01"):
        with pytest.raises(ValidationError, match="介绍信已超过有效期"):
            services.register_incoming_letter(
                actor=world.users["jiedao"],
                organisation=world.community,
                number="0012",
                member_name="周七",
                from_org_name="外省某党委",
                issued_on=datetime.date(2026, 3, 1),
            )
        assert not Transfer.objects.exists()
        services.register_incoming_letter(
            actor=world.users["jiedao"],
            organisation=world.community,
            number="0012",
            member_name="周七",
            from_org_name="外省某党委",
            issued_on=datetime.date(2026, 3, 3),
        )
    assert Transfer.objects.get().status == TransferStatus.ACCEPTED


def test_graduate_flag_at_two_years(world):
    services.register_graduate_hold(
        actor=world.users["zhibu"], member=world.member, graduated_on=datetime.date(2024, 6, 30)
    )
    assert not selectors.flagged_graduates(world.users["zhibu"], datetime.date(2026, 6, 29)).exists()
    assert selectors.flagged_graduates(world.users["zhibu"], datetime.date(2026, 6, 30)).exists()


def test_mobile_member_seen_by_both_branches_and_only_those(world):
    st = station(world)
    flow = services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    assert flow.status == FlowStatus.PENDING
    member = Member.objects.get(pk=world.member.pk)
    assert member.is_mobile and member.mobile_destination.startswith("山东省济南市历下区")
    services.accept_inflow(actor=st.user, flow=flow)
    assert list(selectors.flows_for(st.user)) == [flow]
    assert list(selectors.flows_for(world.users["zhibu"])) == [flow]
    assert list(selectors.flows_for(world.users["foreign"])) == []
    other = services.register_outflow(
        actor=world.users["zhibu"], member=Member.objects.get(name="王五"), values=FLOW_VALUES
    )
    assert other not in selectors.flows_for(st.user)  # not registered with the station
    services.end_flow(actor=st.user, flow=flow)
    assert not Member.objects.get(pk=world.member.pk).is_mobile
    assert AuditEntry.objects.filter(action="mobility.member.mobile_marked").exists()


def test_self_registration_by_poster_is_pending_until_accepted(world):
    st = station(world)
    flow = services.self_register_arrival(actor=world.users["dangyuan"], branch=st.branch, values=FLOW_VALUES)
    assert flow.status == FlowStatus.PENDING and flow.self_registered
    with pytest.raises(ValidationError):
        services.self_register_arrival(actor=world.users["dangyuan"], branch=st.branch, values=FLOW_VALUES)
    with pytest.raises(ValidationError, match="未关联党员档案"):
        services.self_register_arrival(actor=world.users["nobody"], branch=st.branch, values=FLOW_VALUES)
    services.accept_inflow(actor=st.user, flow=flow)
    flow.refresh_from_db()
    assert flow.status == FlowStatus.ACTIVE


def test_certificate_numbering_revocation_and_return(world):
    first = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    second = services.issue_certificate(actor=world.users["zhibu"], member=Member.objects.get(name="王五"))
    year = services.today().year
    assert first.number == f"370124{year}00001" and second.number == f"370124{year}00002"
    with pytest.raises(ValidationError, match="已有有效的活动证"):
        services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    services.revoke_certificate(actor=world.users["zhibu"], cert=first, reason="lost")
    first.refresh_from_db()
    assert first.status == CertificateStatus.REVOKED
    with pytest.raises(ValidationError, match="已注销"):
        services.revoke_certificate(actor=world.users["zhibu"], cert=first, reason="lost")


def test_branch_suggestion_at_three_full_members(world):
    st = station(world)
    names = ["李四", "王五", "赵六"]
    for name in names[:2]:
        flow = services.register_outflow(
            actor=world.users["zhibu"],
            member=Member.objects.get(name=name),
            values=FLOW_VALUES | {"employer": "蜂鸟配送"},
            in_org=st.branch,
        )
        services.accept_inflow(actor=st.user, flow=flow)
    assert selectors.branch_suggestions(world.users["jiedao"]) == []
    services.register_outflow(
        actor=world.users["zhibu"],
        member=Member.objects.get(name="赵六"),
        values=FLOW_VALUES | {"employer": "蜂鸟配送"},
        in_org=st.branch,
    )
    suggestions = selectors.branch_suggestions(st.committee_user)
    assert [(s["name"], s["members"]) for s in suggestions] == [("历下站", 3), ("蜂鸟配送", 3)]
    assert selectors.branch_suggestions(world.users["foreign"]) == []


def test_dual_anchor_lets_the_second_line_see_the_branch(world):
    st = station(world)
    services.anchor_branch(
        actor=st.committee_user, branch=st.branch, second_org=world.street, second_kind="territory"
    )
    seen = selectors.organisations_with_anchors(world.users["jiedao"])
    assert seen.filter(pk=st.branch.pk).exists() and seen.filter(pk=world.branch.pk).exists()
    assert not selectors.organisations_with_anchors(world.users["foreign"]).filter(pk=st.branch.pk).exists()
    with pytest.raises(ValidationError, match="无需双重隶属"):
        services.anchor_branch(
            actor=world.users["zhibu"],
            branch=world.branch,
            second_org=world.community,
            second_kind="territory",
        )


def test_community_reporting_hours_confirmed_by_community_seen_by_employer(world):
    st = station(world)
    post = services.add_service_post(
        actor=world.users["jiedao"], community=world.community, title="垃圾分类督导"
    )
    # A station-branch member lives in 幸福社区 and reports there.
    from qiangji.testing import add_member, add_user

    rider_user = add_user("rider")
    rider = add_member(st.branch, "骑手甲", user=rider_user, phone="13700001111")
    from qiangji.core.models import Job  # noqa: F401
    from qiangji.orgs.models import Grant

    Grant.objects.create(user=rider_user, organisation=st.branch, org_path=st.branch.path, role="member")
    report = services.register_with_community(
        actor=rider_user, member=rider, community=world.community, post_ids=[post.pk]
    )
    entry = services.record_hours(
        actor=rider_user, report=report, served_on=services.today(), hours="2.5", description="周末督导"
    )
    with pytest.raises(ValidationError, match="由报到社区确认"):
        services.decide_hours(actor=st.user, entry=entry, confirm=True)
    services.decide_hours(actor=world.users["jiedao"], entry=entry, confirm=True)
    rows = selectors.confirmed_hours_by_member(st.user)
    assert rows[0]["total"] == 2.5 and rows[0]["report__member__name"] == "骑手甲"
    with pytest.raises(ValidationError, match="不能超过|不超过"):
        services.record_hours(
            actor=rider_user, report=report, served_on=services.today(), hours="25", description="x"
        )


def test_letter_reads_dues_paid_month_from_the_dues_app(world, monkeypatch):
    import qiangji.dues.selectors as dues_selectors

    monkeypatch.setattr(dues_selectors, "paid_up_to", lambda member: datetime.date(2026, 10, 1))
    letter = services.issue_transfer(
        actor=world.users["zhibu"],
        member=world.member,
        to_org_name="外省某县委",
        dues_paid=datetime.date(2020, 1, 1),
    )
    assert letter.dues_paid_to == datetime.date(2026, 10, 1)


def test_audit_never_holds_the_clear_phone(world):
    st = station(world)
    flow = services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    entry = AuditEntry.objects.get(action="mobility.flow.registered", target_id=str(flow.pk))
    assert entry.after["contact_phone_suffix"] == "5678" and "13912345678" not in str(entry.after)
    assert entry.after["province"] == "山东省" and entry.actor == world.users["zhibu"]
    assert flow.contact_phone == "13912345678" and flow.contact_phone_masked == "*******5678"


def test_bad_flow_input_names_the_field_and_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        services.register_outflow(
            actor=world.users["zhibu"],
            member=world.member,
            values=FLOW_VALUES
            | {
                "province": "",
                "contact_phone": "12345",
                "left_on": datetime.date(2026, 5, 1),
                "expected_return_on": datetime.date(2026, 4, 1),
            },
        )
    assert set(error.value.message_dict) == {"province", "contact_phone", "expected_return_on"}
    assert not Member.objects.get(pk=world.member.pk).is_mobile and not AuditEntry.objects.exists()


def test_acceptance_revokes_the_old_certificate_and_ends_the_flow(world):
    st = station(world)
    flow = services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    transfer = issue(world, st)
    services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=st.branch)
    cert.refresh_from_db()
    flow.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.revoked_reason == "transferred"
    assert flow.status == FlowStatus.RETURNED and not Member.objects.get(pk=world.member.pk).is_mobile


def test_inflow_branch_registers_by_id_number_and_name(world):
    st = station(world)
    number = world.member.id_number
    with pytest.raises(ValidationError, match="未找到姓名与公民身份证号相符的党员"):
        services.register_inflow(
            actor=st.user, branch=st.branch, id_number=number, name="王五", values=FLOW_VALUES
        )
    flow = services.register_inflow(
        actor=st.user, branch=st.branch, id_number=number, name="李四", values=FLOW_VALUES
    )
    assert flow.status == FlowStatus.ACTIVE and flow.in_org == st.branch and flow.out_org == world.branch
    assert list(selectors.flows_for(world.users["zhibu"])) == [flow]  # the home branch sees it too
    assert AuditEntry.objects.filter(
        action="mobility.flow.inflow_registered", org_path=st.branch.path
    ).exists()
    assert number not in str(AuditEntry.objects.values_list("after", flat=True)[::1])


def test_card_issued_before_acceptance_becomes_visible_to_the_inflow_branch(world):
    from qiangji.mobility.models import Certificate

    st = station(world)
    flow = services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    assert cert.other_path == st.branch.path  # the named inflow branch already sees the pending card
    services.decline_inflow(actor=st.user, flow=flow, reason="不在本站点")
    assert not Certificate.objects.visible_to(st.user).filter(pk=cert.pk).exists()
    services.self_register_arrival(actor=world.users["dangyuan"], branch=st.branch, values=FLOW_VALUES)
    flow.refresh_from_db()
    services.accept_inflow(actor=st.user, flow=flow)
    assert Certificate.objects.visible_to(st.user).filter(pk=cert.pk).exists()
    assert not Certificate.objects.visible_to(world.users["foreign"]).filter(pk=cert.pk).exists()


def test_accepted_transfer_moves_the_rows_every_app_registered(world):
    """members.services.move_member moves the member and, through core.paths, the rows both apps registered
    (a status event of the members app, a graduate hold of this one); the letter itself stays put."""
    from qiangji.members.models import MemberStatusEvent

    st = station(world)
    MemberStatusEvent.objects.create(
        member=world.member,
        org_path=world.member.org_path,
        status="full",
        effective_on=datetime.date(2011, 7, 1),
        reason="转正",
    )
    hold = services.register_graduate_hold(
        actor=world.users["zhibu"], member=world.member, graduated_on=datetime.date(2025, 7, 1)
    )
    transfer = issue(world, st)
    services.accept_transfer(actor=st.committee_user, transfer=transfer, branch=st.branch)
    assert set(MemberStatusEvent.objects.filter(member=world.member).values_list("org_path", flat=True)) == {
        st.branch.path
    }
    hold.refresh_from_db()
    assert hold.org_path == st.branch.path and hold.closed_on is not None
    transfer.refresh_from_db()
    assert transfer.org_path == world.branch.path  # the issuing side keeps its stub
    rows = AuditEntry.objects.get(action="mobility.member.moved").after["rows"]
    assert rows["members.memberstatusevent"] >= 1 and rows["mobility.graduatehold"] == 1


def test_mobile_flag_through_the_update_path_or_only_the_two_items(world):
    """The home branch sets the mobile items through members.services.update_member; on an older record
    with an unrelated gap only the two items are set, and the entry names the gap."""
    services.register_outflow(actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES)
    assert AuditEntry.objects.filter(action="members.member.updated", target_id=str(world.member.pk)).exists()
    assert not AuditEntry.objects.filter(action="mobility.member.mobile_marked").exists()
    other = Member.objects.get(name="王五")
    Member.objects.filter(pk=other.pk).update(category="")  # an old record: 人员类别 never filled in
    services.register_outflow(actor=world.users["zhibu"], member=other, values=FLOW_VALUES)
    other.refresh_from_db()
    assert other.is_mobile and other.category == ""
    marked = AuditEntry.objects.get(action="mobility.member.mobile_marked", target_id=str(other.pk))
    assert marked.after["record_gaps"] == ["category"] and marked.after["is_mobile"] is True

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.mobility import services
from qiangji.mobility.models import Certificate, MobileFlow, Transfer
from qiangji.mobility.tests.factories import FLOW_VALUES, station

pytestmark = pytest.mark.django_db


def test_index_for_each_role(world, client_as, django_assert_max_num_queries):
    for role in ("xian", "jiedao", "zhibu", "dangyuan", "nobody"):
        client = client_as(world.users[role])
        with django_assert_max_num_queries(14):
            response = client.get(reverse("mobility:index"))
        assert response.status_code == 200 and "流动党员与组织关系转接" in response.content.decode()


def test_anonymous_goes_to_sign_in(client):
    response = client.get(reverse("mobility:transfer-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_transfer_through_the_pages(world, client_as):
    st = station(world)
    client = client_as(world.users["zhibu"])
    response = client.post(
        reverse("mobility:transfer-create", args=[world.member.pk]),
        {"to_org_text": st.committee.name, "reason": "工作调动"},  # typed, not picked: the name resolves
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "mobility:transfer-detail", args=[transfer.pk]
    )
    pdf = client.get(reverse("mobility:transfer-letter", args=[transfer.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    receiver = client_as(st.committee_user)
    page = receiver.get(reverse("mobility:transfer-detail", args=[transfer.pk])).content.decode()
    assert reverse("mobility:transfer-accept", args=[transfer.pk]) in page
    response = receiver.post(
        reverse("mobility:transfer-accept", args=[transfer.pk]), {"branch": st.branch.pk}
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=world.member.pk).organisation == st.branch


def test_transfer_to_a_branch_is_refused_on_the_form(world, client_as):
    client = client_as(world.users["zhibu"])
    response = client.post(
        reverse("mobility:transfer-create", args=[world.member.pk]), {"to_org": world.branch2.pk}
    )
    assert response.status_code == 200 and "接收方必须是基层党委" in response.content.decode()
    assert (
        not Transfer.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="mobility.").exists()
    )


def test_unknown_org_name_names_the_field(world, client_as):
    response = client_as(world.users["zhibu"]).post(
        reverse("mobility:transfer-create", args=[world.member.pk]), {"to_org_text": "不存在的党委"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "未找到名为“不存在的党委”的组织" in html and "接收党委" in html
    assert not Transfer.objects.exists()


def test_exports_in_transit_and_by_destination(world, client_as):
    st = station(world)
    services.issue_transfer(actor=world.users["zhibu"], member=world.member, to_org=st.committee)
    services.register_outflow(
        actor=world.users["zhibu"], member=Member.objects.get(name="王五"), values=FLOW_VALUES
    )
    client = client_as(world.users["xian"])
    text = b"".join(client.get(reverse("mobility:transfer-export") + "?fmt=csv").streaming_content).decode()
    assert "李四" in text and "在途" in text
    text = b"".join(client.get(reverse("mobility:flow-export") + "?fmt=csv").streaming_content).decode()
    assert "山东省,济南市,历下区,王五" in text
    assert client.get(reverse("mobility:flow-export") + "?fmt=xlsx").status_code == 200


def test_poster_code_arrival_and_acceptance(world, client_as):
    st = station(world)
    poster = client_as(st.user).get(reverse("mobility:poster", args=[st.branch.pk]))
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    arrive_url = poster.context["url"].split("testserver", 1)[1]
    member_client = client_as(world.users["dangyuan"])
    response = member_client.post(arrive_url, FLOW_VALUES | {"left_on": "2026-11-01"})
    assert response.status_code == 302
    flow = MobileFlow.objects.get()
    assert flow.status == "pending" and flow.in_org == st.branch and flow.self_registered
    assert client_as(world.users["dangyuan"]).get(arrive_url[:-5] + "xxxx/").status_code == 404
    client_as(st.user).post(reverse("mobility:flow-accept", args=[flow.pk]), {})
    flow.refresh_from_db()
    assert flow.status == "active"


def test_station_branch_sees_only_members_registered_with_it(world, client_as):
    st = station(world)
    mine = services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    services.register_outflow(
        actor=world.users["zhibu"], member=Member.objects.get(name="王五"), values=FLOW_VALUES
    )
    page = client_as(st.user).get(reverse("mobility:flow-list")).content.decode()
    assert "李四" in page and "王五" not in page
    assert client_as(st.user).get(reverse("mobility:flow-detail", args=[mine.pk])).status_code == 200
    # ... but not the member's whole record
    assert client_as(st.user).get(reverse("members:detail", args=[world.member.pk])).status_code == 404
    assert (
        client_as(world.users["foreign"]).get(reverse("mobility:flow-detail", args=[mine.pk])).status_code
        == 404
    )


def test_certificate_page_pdf_and_revocation(world, client_as):
    client = client_as(world.users["zhibu"])
    client.post(reverse("mobility:certificate-create", args=[world.member.pk]), {})
    cert = Certificate.objects.get()
    page = client.get(reverse("mobility:certificate-detail", args=[cert.pk])).content.decode()
    assert "<svg" in page and "没有表决权、选举权和被选举权" in page
    pdf = client.get(reverse("mobility:certificate-pdf", args=[cert.pk]))
    assert pdf.content.startswith(b"%PDF")
    client.post(reverse("mobility:certificate-revoke", args=[cert.pk]), {"reason": "lost"})
    status = client.get(f"/api/v1/mobility/certificates/{cert.number}/status/").json()
    assert status["status"] == "revoked" and status["reason_label"] == "遗失"
    assert AuditEntry.objects.filter(action="mobility.certificate.revoked", target_id=str(cert.pk)).exists()


def test_verify_page_and_public_key_are_public(client):
    from qiangji.mobility import signing

    page = client.get(reverse("mobility:verify")).content.decode()
    assert signing.b64url(signing.raw_public_key()) in page and "ed25519-verify.js" in page
    pem = client.get(reverse("mobility:public-key")).content.decode()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert client.get(reverse("mobility:public-key") + "?format=json").json()["alg"] == "Ed25519"


def test_community_pages(world, client_as):
    post = services.add_service_post(actor=world.users["jiedao"], community=world.community, title="文明劝导")
    member_client = client_as(world.users["dangyuan"])
    response = member_client.post(
        reverse("mobility:report-create"), {"community": world.community.pk, "posts": str(post.pk)}
    )
    assert response.status_code == 302
    report = world.member.community_reports.get()
    member_client.post(
        reverse("mobility:hours-create", args=[report.pk]),
        {"served_on": "2026-01-05", "hours": "3", "description": "文明劝导"},
    )
    entry = report.hours.get()
    assert member_client.post(reverse("mobility:hours-decide", args=[entry.pk]), {}).status_code == 404
    client_as(world.users["jiedao"]).post(reverse("mobility:hours-decide", args=[entry.pk]), {})
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    page = client_as(world.users["zhibu"]).get(reverse("mobility:community")).content.decode()
    assert "李四" in page and "3.0" in page


def test_anchor_pages(world, client_as):
    st = station(world)
    response = client_as(st.committee_user).post(
        reverse("mobility:anchor-create"),
        {"branch": st.branch.pk, "second_org_text": "城关街道党工委", "second_kind": "territory"},
    )
    assert response.status_code == 302
    assert (
        "顺达站点党支部"
        in client_as(world.users["jiedao"]).get(reverse("mobility:anchor-list")).content.decode()
    )


def test_index_search_leads_to_the_member_actions(world, client_as):
    client = client_as(world.users["zhibu"])
    page = client.get(reverse("mobility:index") + "?q=李四").content.decode()
    assert reverse("mobility:member", args=[world.member.pk]) in page
    page = client.get(reverse("mobility:member", args=[world.member.pk])).content.decode()
    assert reverse("mobility:transfer-create", args=[world.member.pk]) in page
    page = client.get(reverse("mobility:index") + "?q=外县党员").content.decode()
    assert reverse("mobility:member", args=[world.foreign_member.pk]) not in page and "没有找到" in page


def test_certificates_due_for_the_annual_check(world, client_as):
    import datetime

    from freezegun import freeze_time

    with freeze_time("2025-12-01"):
        cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    with freeze_time("2026-10-31"):  # valid until 2026-11-30: 30 days ahead
        assert cert.number in client_as(world.users["zhibu"]).get(reverse("mobility:index")).content.decode()
    with freeze_time("2026-10-30"):
        assert (
            cert.number not in client_as(world.users["zhibu"]).get(reverse("mobility:index")).content.decode()
        )
    with freeze_time("2026-11-20"):
        services.check_certificate(actor=world.users["zhibu"], cert=cert)
    cert.refresh_from_db()
    assert cert.valid_until == datetime.date(2027, 11, 19) and cert.last_checked_on == datetime.date(
        2026, 11, 20
    )


def test_lists_filter_and_paginate(world, client_as, django_assert_max_num_queries):
    from freezegun import freeze_time

    st = station(world)
    with freeze_time("2026-01-05"):
        services.issue_transfer(actor=world.users["zhibu"], member=world.member, to_org=st.committee)
    services.issue_transfer(
        actor=world.users["zhibu"], member=Member.objects.get(name="王五"), to_org=st.committee
    )
    client = client_as(world.users["xian"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("mobility:transfer-list") + "?overdue=true").content.decode()
    assert "李四" in page and "王五" not in page
    services.register_outflow(actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES)
    page = client.get(reverse("mobility:flow-list") + "?province=山东").content.decode()
    assert "李四" in page
    assert "李四" not in client.get(reverse("mobility:flow-list") + "?province=浙江").content.decode()
    api = client.get("/api/v1/mobility/transfers/?overdue=true").json()
    assert [row["member_name"] for row in api["results"]] == ["李四"]

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from qiangji.core import sms
from qiangji.core.models import AuditEntry
from qiangji.service import selectors, services
from qiangji.service.choices import Channel, EventKind, Phase, Rating, Status, Tier
from qiangji.service.models import Request, RequestEvent
from qiangji.service.tests.conftest import code_for, later

PHONE = "13912345678"


def submit_web(desk, **extra):
    values = dict(
        actor=None,
        channel=Channel.WEB,
        category=desk["general"],
        description="楼道灯坏了",
        phone=PHONE,
        code=code_for(PHONE),
        place=desk["place"].pk,
    )
    values.update(extra)
    return services.submit(**values)


def test_public_submission_lands_at_the_compound_branch_with_history(desk, world):
    request, query_code = submit_web(desk)
    assert request.first_org == world.branch and request.tier == Tier.COMPOUND
    assert request.org_path == world.branch.path and request.status == Status.OPEN
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds[:2] == [EventKind.RECEIVED, EventKind.ROUTED]
    assert AuditEntry.objects.filter(action="service.request.submitted", target_id=str(request.pk)).exists()
    assert services.request_from_code(request.number, query_code) == request
    assert (
        services.request_from_code(request.number, "000000" if query_code != "000000" else "111111") is None
    )
    assert services.request_from_link(services.status_link_token(request)) == request
    assert services.request_from_link("garbage") is None


def test_wrong_code_refused_and_nothing_saved(desk):
    code_for(PHONE)
    with pytest.raises(ValidationError) as error:
        services.submit(
            actor=None,
            channel=Channel.WEB,
            category="general",
            description="x",
            phone=PHONE,
            code="999999x",
            place=desk["place"].pk,
        )
    assert "code" in error.value.message_dict
    assert not Request.objects.exists() and not RequestEvent.objects.exists()


def test_html_is_stored_as_text(desk):
    request, _ = submit_web(desk, description="<script>alert(1)</script>")
    assert request.description == "<script>alert(1)</script>"


def test_flood_from_one_number_is_limited(desk):
    for _ in range(5):
        submit_web(desk)
    with pytest.raises(ValidationError) as error:
        submit_web(desk)
    assert "频繁" in str(error.value.message_dict["phone"])
    assert Request.objects.count() == 5


def test_coordinate_inside_a_grid_boundary_routes_to_the_grid(desk, world):
    request, _ = submit_web(desk, place=None, latitude="36.2", longitude="117.2")
    assert request.place == desk["grid"] and request.first_org == world.branch2


def test_location_outside_the_platform_is_refused(desk):
    with pytest.raises(ValidationError) as error:
        submit_web(desk, place=None, latitude="51.5", longitude="-0.12")
    assert "服务范围" in str(error.value)
    with pytest.raises(ValidationError) as error:
        submit_web(desk, place=None, latitude="30.0", longitude="100.0")
    assert "location" in error.value.message_dict


def _png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_photo_checked_by_content_and_size(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        submit_web(desk, photo=SimpleUploadedFile("a.jpg", b"not an image at all", "image/jpeg"))
    assert "photo" in error.value.message_dict
    big = SimpleUploadedFile("b.png", _png(), "image/png")
    big.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        submit_web(desk, photo=big)
    assert "MB" in str(error.value.message_dict["photo"])
    request, _ = submit_web(desk, photo=SimpleUploadedFile("c.png", _png(), "image/png"))
    assert request.photo.name.startswith("service/")


def test_escalation_sweep_climbs_one_tier_per_lapse_and_is_idempotent(desk, world):
    request, _ = submit_web(desk, category=desk["emergency"])  # 2 hours a tier
    assert services.escalate_lapsed(at=later(hours=1)) == 0  # the limit has not lapsed
    at = later(hours=2, days=0) + datetime.timedelta(minutes=1)
    assert services.escalate_lapsed(at=at) == 1
    assert services.escalate_lapsed(at=at) == 0  # idempotent
    request.refresh_from_db()
    assert (
        request.tier == Tier.COMMUNITY and request.current_org == world.community and request.escalations == 1
    )
    assert services.escalate_lapsed(at=at + datetime.timedelta(hours=2, minutes=1)) == 1
    request.refresh_from_db()
    assert request.tier == Tier.STREET and request.current_org == world.street
    assert request.org_path == world.branch.path  # the first unit stays responsible
    lines = list(request.events.filter(kind=EventKind.ESCALATED).values_list("text", flat=True))
    assert lines == [
        "本级办理期限已过，自动上报至幸福社区党委（社区）",
        "本级办理期限已过，自动上报至城关街道党工委（街道）",
    ]
    # each tier still sees it with its history
    for user in (world.users["zhibu"], desk["community_user"], world.users["jiedao"]):
        assert selectors.requests_for(user).filter(pk=request.pk).exists()
    assert not selectors.requests_for(world.users["foreign"]).filter(pk=request.pk).exists()


def test_paused_request_does_not_escalate_and_limit_moves_on(desk, world):
    request, _ = submit_web(desk, category=desk["emergency"])
    zhibu = world.users["zhibu"]
    start = later()
    services.wait_on_requester(actor=zhibu, request=request, text="请补充门牌号", at=start)
    assert services.escalate_lapsed(at=start + datetime.timedelta(hours=5)) == 0
    before = Request.objects.get(pk=request.pk).due_at
    services.resume(actor=zhibu, request=request, at=start + datetime.timedelta(hours=5))
    request.refresh_from_db()
    assert request.due_at - before == datetime.timedelta(hours=5)
    assert request.paused_seconds == 5 * 3600 and request.phase == Phase.IN_PROGRESS


def test_whistle_needs_a_reason_and_climbs(desk, world):
    request, _ = submit_web(desk)
    with pytest.raises(ValidationError):
        services.whistle(actor=world.users["zhibu"], request=request, reason="  ")
    services.whistle(actor=world.users["zhibu"], request=request, reason="涉及管网改造，小区无法解决")
    request.refresh_from_db()
    assert request.tier == Tier.COMMUNITY
    assert request.events.filter(kind=EventKind.WHISTLE, text__contains="管网改造").exists()


def test_foreign_staff_cannot_touch_it(desk, world):
    request, _ = submit_web(desk)
    with pytest.raises(Http404):
        services.whistle(actor=world.users["foreign"], request=request, reason="x")


def test_send_back_within_two_working_days_only(desk, world):
    request, _ = submit_web(desk)
    with pytest.raises(ValidationError) as error:
        services.send_back(
            actor=world.users["zhibu"], request=request, reason="不属于本小区", at=later(days=10)
        )
    assert "2个工作日" in str(error.value)
    services.send_back(actor=world.users["zhibu"], request=request, reason="不属于本小区")
    request.refresh_from_db()
    assert request.current_org == world.community
    services.dispatch(actor=desk["community_user"], request=request, to_org=world.branch2)
    request.refresh_from_db()
    assert request.current_org == world.branch2 and request.first_org == world.branch2


def test_department_claims_from_the_district_pool_and_first_unit_is_told(desk, world):
    request, _ = submit_web(desk, category=desk["emergency"])
    services.whistle(actor=world.users["zhibu"], request=request, reason="需部门")
    with pytest.raises(ValidationError):  # at the community tier no department may claim yet
        services.claim(actor=desk["dept_user"], request=request, department=desk["dept"])
    services.whistle(actor=desk["community_user"], request=request, reason="需部门")
    assert selectors.department_pool(desk["dept_user"]).filter(pk=request.pk).exists()
    services.claim(actor=desk["dept_user"], request=request, department=desk["dept"], note="我局负责")
    request.refresh_from_db()
    assert request.tier == Tier.DEPARTMENT and request.current_org == desk["dept"].organisation
    services.answer(actor=desk["dept_user"], request=request, text="已更换")
    request.refresh_from_db()
    assert request.phase == Phase.ANSWERED and request.on_time is True
    counts = selectors.work_counts(world.users["admin"])
    assert counts["branches"][0]["organisation__name"] == "县住建局党组"


def test_member_claims_in_community_but_not_outside(desk, world):
    request, _ = submit_web(desk)
    member_user = world.users["dangyuan"]
    services.claim(actor=member_user, request=request, note="我去看看")
    request.refresh_from_db()
    assert request.claimed_member == world.member and request.responded_at is not None
    from qiangji.core.choices import Role
    from qiangji.testing import add_member, add_user

    outsider = add_user("waixian", world.foreign_branch, Role.MEMBER)
    add_member(world.foreign_branch, "外人", user=outsider, phone="13700000001")
    other, _ = submit_web(desk, description="另一件")
    with pytest.raises(ValidationError) as error:
        services.claim(actor=outsider, request=other)
    assert "服务范围" in str(error.value)
    assert Request.objects.get(pk=other.pk).claimed_member is None


def _answered(desk, world):
    request, _ = submit_web(desk)
    services.claim(actor=world.users["zhibu"], request=request)
    services.answer(actor=world.users["zhibu"], request=request, text="已修好")
    return Request.objects.get(pk=request.pk)


def test_confirm_satisfied_closes(desk, world):
    request = _answered(desk, world)
    with pytest.raises(Http404):
        services.confirm(request=request, access_key="wrong", outcome="solved", rating="satisfied")
    services.confirm(
        request=request, access_key=request.access_key, outcome="solved", rating="satisfied", comment="好"
    )
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.rating == Rating.SATISFIED


def test_unsatisfied_reopens_once_then_closes(desk, world):
    request = _answered(desk, world)
    services.confirm(request=request, access_key=request.access_key, outcome="unsolved", rating="unsatisfied")
    request.refresh_from_db()
    assert request.phase == Phase.IN_PROGRESS and request.reopened == 1
    from qiangji.core.models import Notification

    assert Notification.objects.filter(recipient=world.users["zhibu"], title__contains="不满意").exists()
    services.answer(actor=world.users["zhibu"], request=request, text="再次处理")
    services.confirm(request=request, access_key=request.access_key, outcome="partly", rating="unsatisfied")
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.rating == Rating.UNSATISFIED


def test_unrated_after_n_days_set_wise(desk, world):
    request = _answered(desk, world)
    assert services.close_unrated(at=later(days=6)) == 0
    assert services.close_unrated(at=later(days=8)) == 1
    assert services.close_unrated(at=later(days=8)) == 0
    request.refresh_from_db()
    assert request.rating == Rating.UNRATED and request.status == Status.CLOSED
    assert request.events.filter(kind=EventKind.UNRATED).count() == 1


def test_only_staff_close_and_refusal_is_audited(desk, world):
    request, _ = submit_web(desk)
    with pytest.raises(Http404):  # a stranger: not even told it exists, but the attempt is recorded
        services.close_by_staff(actor=world.users["nobody"], request=request, reason="x")
    services.claim(actor=world.users["dangyuan"], request=request)
    with pytest.raises(ValidationError):  # the member who claimed it is not staff
        services.close_by_staff(actor=world.users["dangyuan"], request=request, reason="我说办完了")
    assert AuditEntry.objects.filter(action="service.request.close_refused").count() == 2
    assert AuditEntry.objects.filter(
        action="service.request.close_refused", target_id=str(request.pk)
    ).exists()
    assert Request.objects.get(pk=request.pk).status == Status.OPEN
    services.close_by_staff(actor=world.users["zhibu"], request=request, reason="现场已处理")
    assert Request.objects.get(pk=request.pk).status == Status.CLOSED


def test_duplicates_found_and_merged(desk, world):
    first, _ = submit_web(desk)
    second, _ = submit_web(desk, description="同一个灯")
    assert services.possible_duplicate(second) == first
    services.merge(actor=world.users["zhibu"], request=second, into=first)
    second.refresh_from_db()
    assert second.phase == Phase.MERGED and second.duplicate_of == first


def test_behalf_intake_by_member_needs_no_code(desk, world):
    request, _ = services.submit(
        actor=world.users["dangyuan"],
        channel=Channel.BEHALF,
        category="general",
        description="代司机登记",
        phone="13600000000",
        place=desk["place"].pk,
    )
    assert request.submitted_by == world.users["dangyuan"]
    with pytest.raises(ValidationError):
        services.submit(
            actor=world.users["foreign"],
            channel=Channel.BEHALF,
            category="general",
            description="x",
            phone="13600000000",
            place=desk["place"].pk,
        )


def test_figures_and_warnings(desk, world):
    request = _answered(desk, world)
    services.confirm(request=request, access_key=request.access_key, outcome="solved", rating="basic")
    submit_web(desk, description="未响应")
    today = datetime.date.today()  # noqa: DTZ011 - the test's own bounds
    got = selectors.figures(
        world.users["xian"], start=today - datetime.timedelta(days=1), end=today + datetime.timedelta(days=1)
    )
    assert got["total"] == 2 and got["response_rate"] == 50.0 and got["satisfaction_rate"] == 100.0
    counts = selectors.warning_counts(world.users["xian"], at=later(hours=25))
    assert counts["red"] == 1


def test_sms_console_refused_outside_demo(settings):
    settings.QIANGJI_DEMO = False
    settings.DEBUG = False
    with pytest.raises(sms.SmsUnavailable):
        sms.send("13900000000", "x")
    assert [e.id for e in sms.check_sms_backend()] == ["core.E101"]

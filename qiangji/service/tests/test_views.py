import pytest
from django.urls import reverse

from qiangji.service import services
from qiangji.service.models import Request
from qiangji.service.tests.conftest import code_for

PHONE = "13912345670"


def _new(desk, **extra):
    values = dict(
        actor=None,
        channel="web",
        category="general",
        description="<b>路灯</b>坏了",
        phone=PHONE,
        code=code_for(PHONE),
        place=desk["place"].pk,
    )
    return services.submit(**(values | extra))[0]


def test_public_form_without_account_sends_code_then_submits(client, desk):
    url = reverse("service:submit")
    assert client.get(url).status_code == 200
    data = {
        "audience": "resident",
        "category": "general",
        "place": str(desk["place"].pk),
        "description": "<script>x</script>",
        "phone": PHONE,
    }
    sent = client.post(url, data | {"send_code": "1"})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    from qiangji.core import sms

    code = sms.ConsoleBackend.outbox[-1][1].split("验证码是 ")[1][:6]
    bad = client.post(url, data | {"code": "000000" if code != "000000" else "111111"})
    assert bad.status_code == 400 and not Request.objects.exists()
    done = client.post(url, data | {"code": code})
    assert done.status_code == 200 and Request.objects.count() == 1
    page = done.content.decode()
    assert "query-code" in page
    created = Request.objects.get()
    track = client.get(reverse("service:track", args=[services.status_link_token(created)]))
    body = track.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x</script>" not in body


def test_status_by_number_and_code(client, desk):
    created, query_code = services.submit(
        actor=None,
        channel="web",
        category="general",
        description="x",
        phone=PHONE,
        code=code_for(PHONE),
        place=desk["place"].pk,
    )
    wrong = client.post(reverse("service:status"), {"number": created.number, "code": "12345"})
    assert wrong.status_code == 400
    ok = client.post(reverse("service:status"), {"number": created.number, "code": query_code})
    assert ok.status_code == 302


def test_one_tap_confirm_from_the_link(client, desk, world):
    req = _new(desk)
    services.claim(actor=world.users["zhibu"], request=req)
    services.answer(actor=world.users["zhibu"], request=req, text="已修复")
    url = reverse("service:track", args=[services.status_link_token(req)])
    assert "confirm-form" in client.get(url).content.decode()
    assert client.post(url, {"outcome": "solved", "rating": "satisfied"}).status_code == 302
    assert Request.objects.get(pk=req.pk).status == "closed"
    assert client.get(reverse("service:track", args=["forged"])).status_code == 404


@pytest.mark.parametrize("who", ["zhibu", "jiedao", "xian", "sheng", "admin"])
def test_detail_visible_to_each_tier_with_history(client_as, desk, world, who):
    req = _new(desk)
    page = client_as(world.users[who]).get(reverse("service:request-detail", args=[req.pk]))
    assert page.status_code == 200
    assert "&lt;b&gt;路灯&lt;/b&gt;" in page.content.decode()


def test_foreign_county_gets_404(client_as, desk, world):
    req = _new(desk)
    client = client_as(world.users["foreign"])
    assert client.get(reverse("service:request-detail", args=[req.pk])).status_code == 404
    assert (
        client.post(reverse("service:request-action", args=[req.pk, "whistle"]), {"reason": "x"}).status_code
        == 404
    )
    assert Request.objects.get(pk=req.pk).tier == "compound"


def test_whistle_page_moves_it_and_bad_input_stays_on_form(client_as, desk, world):
    req = _new(desk)
    client = client_as(world.users["zhibu"])
    url = reverse("service:request-action", args=[req.pk, "whistle"])
    assert client.post(url, {"reason": ""}).status_code == 200  # the form again, nothing moved
    assert Request.objects.get(pk=req.pk).tier == "compound"
    assert client.post(url, {"reason": "需社区协调"}).status_code == 302
    assert Request.objects.get(pk=req.pk).tier == "community"


@pytest.mark.parametrize(
    "name", ["home", "request-list", "pool", "behalf", "figures", "rules", "workdays", "registry"]
)
def test_staff_pages_render(client_as, desk, world, name):
    _new(desk)
    assert client_as(world.users["jiedao"]).get(reverse(f"service:{name}")).status_code == 200


@pytest.mark.parametrize("name", ["submit", "onetap", "status", "rate", "stations"])
def test_public_pages_render_without_account(client, desk, name):
    assert client.get(reverse(f"service:{name}")).status_code == 200


def test_member_claims_from_the_pool_page(client_as, desk, world):
    req = _new(desk)
    client = client_as(world.users["dangyuan"])
    assert req.number in client.get(reverse("service:pool")).content.decode()
    assert client.post(reverse("service:request-action", args=[req.pk, "claim"]), {}).status_code == 302
    assert Request.objects.get(pk=req.pk).claimed_member == world.member


def test_neighbour_rating_page(client, desk):
    data = {
        "place": str(desk["place"].pk),
        "target": "property",
        "occasion": "onsite",
        "score": "4",
        "phone": PHONE,
    }
    assert client.post(reverse("service:rate"), data).status_code == 302
    again = client.post(reverse("service:rate"), data)
    assert again.status_code == 400 and "本月您已评价过" in again.content.decode()


def test_one_tap_rider_goes_to_the_industry_committee_and_sees_stations(client, desk, world):
    from qiangji.testing import add_org

    industry = add_org(
        world.county, "县快递外卖行业党委", "industry_committee", "other", region_code="370124"
    )
    services.create_station(
        actor=world.users["admin"],
        kind="canteen",
        name="城关小哥食堂",
        organisation=world.street,
        address="城关路1号",
        latitude="36.1",
        longitude="117.1",
    )
    page = client.get(reverse("service:onetap") + "?lat=36.1&lng=117.1").content.decode()
    assert "城关小哥食堂" in page and page.index('name="phone"') < page.index('name="category"')
    data = {
        "audience": "rider",
        "category": "rider_help",
        "description": "小区不让进",
        "phone": PHONE,
        "industry": str(industry.pk),
        "latitude": "36.1",
        "longitude": "117.1",
        "code": code_for(PHONE),
    }
    done = client.post(reverse("service:onetap"), data)
    assert done.status_code == 200, done.content.decode()[:2000]
    created = Request.objects.get()
    assert created.first_org == industry and created.tier == "industry" and created.channel == "onetap"


def test_one_tap_non_image_photo_refused_nothing_saved(client, desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "audience": "driver",
        "category": "driver_help",
        "description": "x",
        "phone": PHONE,
        "place": str(desk["place"].pk),
        "code": code_for(PHONE),
        "photo": SimpleUploadedFile("x.png", b"<html>not a picture</html>", "image/png"),
    }
    got = client.post(reverse("service:onetap"), data)
    assert got.status_code == 400 and "不是有效的图片" in got.content.decode()
    assert not Request.objects.exists()

"""In a real browser (Debian's Chromium), at 375×812 and 1920×1080: a minimum-living-allowance case through
its template with a public notice and an objection that blocks the township's review until it is resolved;
a major decision through 四议 with execution refused before the township committee's sign-off."""

import pytest

from qiangji.testing.browser import BROWSER_MARKS, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS
VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1920, "height": 1080}]


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


@pytest.fixture(params=VIEWPORTS, ids=["375x812", "1920x1080"])
def as_user(request, chromium, live_server):
    viewport = request.param
    contexts = []

    def open_as(username):
        context = phone_context(chromium, viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server.url, username)
        return page

    open_as.viewport = viewport
    open_as.url = live_server.url
    yield open_as
    for context in contexts:
        context.close()


def submit(page):
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_minimum_allowance_case_with_a_notice_and_an_objection(as_user, world):
    from qiangji.governance import services
    from qiangji.governance.models import PowerCase
    from qiangji.governance.tests.factories import DIBAO_DOCS, days_ago, village_world

    gw = village_world(world)
    case = services.open_case(
        actor=gw.secretary,
        village=gw.village,
        item=gw.item,
        applicant_name="张小三",
        subject="申请最低生活保障",
        opened_on=days_ago(40),
    )
    for order, ago in ((1, 39), (2, 35), (3, 30)):
        services.take_step(
            actor=gw.secretary,
            case=case,
            order=order,
            done_on=days_ago(ago),
            person_name="王书记",
            documents=DIBAO_DOCS[order],
        )
    vp, base = as_user.viewport, as_user.url

    village = as_user("cunshuji")
    village.goto(f"{base}/governance/cases/{case.pk}/")
    fits(village, vp)
    village.click("text=办理此环节")
    village.fill("input[name=done_on]", days_ago(20).isoformat())
    village.fill("input[name=person_name]", "王书记")
    village.fill("textarea[name=notice_text]", "张小三户拟纳入最低生活保障")  # an unmasked name: refused
    submit(village)
    assert "未遮蔽的姓名" in village.content()
    village.fill("textarea[name=notice_text]", "经民主评议，张*三户拟纳入最低生活保障，电话13800138000")
    submit(village)
    assert "电话号码" in village.content()
    village.fill("textarea[name=notice_text]", "经民主评议，张*三户拟纳入最低生活保障，公示7天。")
    submit(village)
    assert "已办理“评议结果公示”" in village.content()
    village.click("text=登记异议")
    village.fill("input[name=received_on]", days_ago(18).isoformat())
    village.fill("textarea[name=content]", "该户有经营性收入")
    submit(village)
    assert "已登记异议" in village.content()
    shot(village, f"governance-case-objection-{vp['width']}")

    township = as_user("jiedao")
    township.goto(f"{base}/governance/cases/{case.pk}/steps/5/")
    township.fill("input[name=done_on]", days_ago(10).isoformat())
    township.fill("input[name=person_name]", "街道民政")
    township.check("input[name=documents][value='乡镇审核意见']")
    submit(township)
    assert "1条异议尚未核实处理" in township.content()
    fits(township, vp)
    assert PowerCase.objects.get().next_order == 5

    village.goto(f"{base}/governance/cases/{case.pk}/")
    village.click("text=核实处理")
    village.select_option("select[name=upheld]", "0")
    village.fill("input[name=resolution]", "经入户核实，经营收入已计入，异议不成立")
    village.fill("input[name=resolved_on]", days_ago(12).isoformat())
    submit(village)
    assert "已处理异议" in village.content()

    township.goto(f"{base}/governance/cases/{case.pk}/steps/5/")
    township.fill("input[name=done_on]", days_ago(10).isoformat())
    township.fill("input[name=person_name]", "街道民政")
    township.check("input[name=documents][value='乡镇审核意见']")
    submit(township)
    assert "已办理“乡镇审核”" in township.content()
    assert PowerCase.objects.get().next_order == 6

    page = village.context.browser.new_context(viewport=vp, locale="zh-CN").new_page()  # signed out
    page.goto(f"{base}/governance/public/{gw.village.code}/")
    body = page.content()
    assert "张*三" in body and "张小三" not in body and "公示7天" in body
    fits(page, vp)
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_major_decision_execution_refused_before_the_township_sign_off(as_user, world):
    from qiangji.governance.models import Decision
    from qiangji.governance.tests.factories import days_ago, village_world

    gw = village_world(world)
    vp, base = as_user.viewport, as_user.url
    village = as_user("cunshuji")
    village.goto(f"{base}/governance/decisions/new/")
    village.select_option("select[name=village]", str(gw.village.pk))
    village.select_option("select[name=matter]", "project")
    village.fill("input[name=title]", "硬化村内道路")
    village.fill("input[name=amount]", "80000")
    village.fill("textarea[name=description]", "硬化村内道路2公里")
    village.fill("input[name=proposed_on]", days_ago(20).isoformat())
    submit(village)
    decision = Decision.objects.get()
    assert village.url.endswith(f"/governance/decisions/{decision.pk}/")
    fits(village, vp)

    village.click("text=办理")
    village.fill("input[name=discussed_on]", days_ago(19).isoformat())
    village.fill("input[name=attendees]", "王书记、李主任、赵委员")
    village.fill("textarea[name=note]", "同意提交党员大会审议")
    submit(village)

    village.goto(f"{base}/governance/decisions/{decision.pk}/party_members/")
    village.fill("input[name=held_on]", days_ago(18).isoformat())
    for member in gw.members[:2]:  # two of five: no quorum
        village.check(f"input[name=p_{member.pk}][value=for]")
    for member in gw.members[2:]:
        village.check(f"input[name=p_{member.pk}][value=absent]")
        village.fill(f"input[name=r_{member.pk}]", "外出务工")
    submit(village)
    assert "不足法定人数" in village.content()
    fits(village, vp)
    for member in gw.members:
        village.check(f"input[name=p_{member.pk}][value=for]")
    submit(village)
    assert "已办理“党员大会审议”" in village.content()

    village.goto(f"{base}/governance/decisions/{decision.pk}/representatives/")
    village.fill("input[name=held_on]", days_ago(17).isoformat())
    for rep in gw.reps:
        village.check(f"input[name=p_{rep.pk}][value=for]")
    submit(village)
    village.goto(f"{base}/governance/decisions/{decision.pk}/publish/")
    village.fill("input[name=published_on]", days_ago(16).isoformat())
    village.fill("textarea[name=text]", "村民代表会议通过硬化村内道路决议，预算8万元")
    submit(village)

    village.goto(f"{base}/governance/decisions/{decision.pk}/execute/")
    village.fill("input[name=executed_on]", days_ago(10).isoformat())
    village.fill("textarea[name=note]", "施工队进场")
    submit(village)
    assert "乡镇党委前置审核尚未审核，不能组织实施" in village.content()
    shot(village, f"governance-execution-refused-{vp['width']}")
    decision.refresh_from_db()
    assert decision.executed_on is None

    township = as_user("jiedao")
    township.goto(f"{base}/governance/decisions/prereview/")
    assert "硬化村内道路" in township.content()
    fits(township, vp)
    township.click(".card a.btn.primary")
    township.select_option("select[name=approved]", "1")
    township.fill("input[name=note]", "同意实施")
    township.fill("input[name=reviewed_on]", days_ago(12).isoformat())
    submit(township)

    village.goto(f"{base}/governance/decisions/{decision.pk}/execute/")
    village.fill("input[name=executed_on]", days_ago(10).isoformat())
    village.fill("textarea[name=note]", "施工队进场")
    submit(village)
    assert "已办理“组织实施”" in village.content()
    decision.refresh_from_db()
    assert decision.stage == "executed"

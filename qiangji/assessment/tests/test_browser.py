"""From self-assessment to the final star with an appeal, in a real browser (Debian's Chromium), on a phone
(375×812) and a desktop (1920×1080): each person in their own browser context, every page without
sideways scrolling on the phone."""

import datetime

import pytest

from qiangji.testing.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1920, "height": 1080}}


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _submit(page, width, **fields):
    for name, value in fields.items():
        selector = f"[name={name}]"
        if page.locator(f"select{selector}").count():
            page.select_option(f"select{selector}", value)
        else:
            page.fill(selector, value)
    _fits(page, width)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
@pytest.mark.django_db(transaction=True)
def test_self_assessment_to_final_star_with_an_appeal(chromium, live_server, world, screen):
    from qiangji.assessment import services
    from qiangji.assessment.models import Score, StarRating
    from qiangji.assessment.tests.helpers import AS_OF, YEAR, good_branch
    from qiangji.core.dates import today

    viewport = VIEWPORTS[screen]
    width = viewport["width"]
    indicator_set = services.create_example_set(
        actor=world.users["xian"], organisation=world.county, year=YEAR
    )
    good_branch(world.branch)
    run = services.compute_run(actor=world.users["xian"], indicator_set=indicator_set, as_of=AS_OF)
    services.publish_run(actor=world.users["xian"], run=run)
    score = Score.objects.get(run=run, organisation=world.branch)

    def person(username):
        context = chromium.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server.url, username)
        return context, page

    contexts = []
    try:
        context, branch = person("zhibu")
        contexts.append(context)
        branch.goto(f"{live_server.url}/assessment/scores/{score.pk}/")
        assert "距下一星级还差" in branch.content() or "已是最高星级" in branch.content()
        _fits(branch, width)
        branch.click("a.btn:text-is('星级自评')")
        _submit(branch, width, stars="4", note="三会一课按时开展，党费足额交纳")
        rating = StarRating.objects.get()
        assert branch.url.endswith(f"/assessment/ratings/{rating.pk}/")
        assert "已自评" in branch.locator("#rating-status").inner_text()

        context, street = person("jiedao")
        contexts.append(context)
        street.goto(f"{live_server.url}/assessment/ratings/{rating.pk}/")
        street.click("a.btn:text-is('上级审核')")
        _submit(street, width, stars="4", note="同意自评")

        context, county = person("xian")
        contexts.append(context)
        county.goto(f"{live_server.url}/assessment/ratings/{rating.pk}/")
        county.click("a.btn:text-is('党委决定')")
        _submit(county, width, stars="3", note="党委会研究决定")
        county.click("a.btn:text-is('开始公示')")
        _submit(county, width, starts_on=(today() - datetime.timedelta(days=10)).isoformat())
        assert "公示中" in county.locator("#rating-status").inner_text()
        county.click("a.btn:text-is('公示期满，确定星级')")
        _submit(county, width)
        assert "3星" in county.locator("#final-stars").inner_text()

        branch.goto(f"{live_server.url}/assessment/ratings/{rating.pk}/")
        branch.click("a.btn:text-is('申诉')")
        _submit(branch, width, reason="作用发挥得分未计入志愿服务记录")

        county.goto(f"{live_server.url}/assessment/ratings/{rating.pk}/")
        county.click("a.btn:text-is('申诉决定')")
        _submit(county, width, decision="upheld", stars="4", reason="经核实志愿服务记录属实")
        assert "4星" in county.locator("#final-stars").inner_text()
        assert "申诉成立" in county.locator("#appeals").inner_text()
        assert "3星 → 4星" in county.locator("#history").inner_text()
        _fits(county, width)
        shot(county, f"assessment-rating-final-{screen}")
        rating.refresh_from_db()
        assert (rating.status, rating.final_stars) == ("final", 4)
    finally:
        for context in contexts:
            context.close()

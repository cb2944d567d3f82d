"""An organisation picked by typing part of its name (issue #12, build 6), in Debian's Chromium.

The branch secretary issues a transfer letter: types "快递" (part of the receiving committee's name) into the
receiver, the list shows it with where it sits, one click picks it, the letter goes to that committee. The same
page at 1920×1080 opens the tree picker and expands a level lazily. Never a downloaded browser.
"""

import pytest

from qiangji.testing.browser import BROWSER_MARKS, fits_the_phone, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_receiver_picked_by_typing_part_of_its_name(chromium, live_server, world):
    from qiangji.mobility.models import Transfer
    from qiangji.mobility.tests.factories import station

    st = station(world)
    context = phone_context(chromium, {"width": 375, "height": 812})
    page = context.new_page()
    sign_in(page, live_server.url, "zhibu", then=f"/mobility/members/{world.member.pk}/transfer/")
    page.fill("#id_to_org", "")
    page.type("#id_to_org", "快递", delay=40)
    option = page.locator("[data-picker-results] [role=option]").first
    option.wait_for()
    assert "快递物流行业党委" in option.inner_text() and "某区委" in option.inner_text()
    fits_the_phone(page, 375)
    shot(page, "picker-typed-375")
    option.click()
    assert page.input_value("input[name=to_org]") == str(st.committee.pk)
    assert page.input_value("#id_to_org") == "快递物流行业党委"
    page.fill("#id_reason", "工作调动")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    transfer = Transfer.objects.get()
    assert transfer.to_org_id == st.committee.pk
    context.close()


@pytest.mark.django_db(transaction=True)
def test_pinyin_and_tree_picker_on_a_desktop(chromium, live_server, world):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "jiedao", then=f"/orgs/{world.branch.pk}/move/")
    page.type("#id_new_parent", "xfsq", delay=40)
    page.locator("[data-picker-results] [role=option]").first.wait_for()
    found = page.locator("[data-picker-results] [role=option]").all_inner_texts()
    assert found and found[0].startswith("幸福社区党委")
    page.keyboard.press("Escape")
    page.click("[data-picker-tree-toggle]")
    page.locator("[data-picker-tree] .picker-tree-pick", has_text="城关街道党工委").wait_for()
    page.click("[data-picker-tree] .picker-tree-open")  # expand the street: its children load now
    page.locator("[data-picker-tree] .picker-tree-pick", has_text="幸福社区党委").wait_for()
    shot(page, "picker-tree-1920")
    page.locator("[data-picker-tree] .picker-tree-pick", has_text="城关街道党工委").click()
    assert page.input_value("input[name=new_parent]") == str(world.street.pk)
    context.close()

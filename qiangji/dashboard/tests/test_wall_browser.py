"""一屏掌控 as a wall (issue #14): at 1920×1080 and 3840×2160 every section fits one screen — the document is
no taller or wider than the viewport and no panel hides content behind its edge — dark, big type, a treemap
of the subtree coloured by the chosen indicator, rotation through the indicator groups, and a refresh
that never shows an empty chart.  Screenshots: var/screenshots/wall-*.png."""

import pytest

from qiangji.dashboard.tests.test_exceptions import troubles
from qiangji.testing.browser import BROWSER_MARKS, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS

MEASURE = """() => {
  const d = document.documentElement;
  const clipped = Array.from(document.querySelectorAll('.wall-panel')).filter(
    p => p.scrollHeight > p.clientHeight + 1 || p.scrollWidth > p.clientWidth + 1).map(p => p.className);
  const outside = Array.from(document.querySelectorAll('.wall-panel')).filter(p => {
    const r = p.getBoundingClientRect(); return r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5; })
    .map(p => p.className);
  Array.from(document.querySelectorAll('.figure-group:not([hidden]) .figure, .wall .exception')).forEach(f => {
    if (f.scrollHeight > f.clientHeight + 1) clipped.push('figure ' + (f.dataset.code || f.dataset.kind)); });
  return {height: d.scrollHeight, width: d.scrollWidth, vh: innerHeight, vw: innerWidth, clipped, outside,
          panels: document.querySelectorAll('.wall-panel').length};
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4k"])
def test_the_wall_fits_one_screen(chromium, live_server, world, size):
    from qiangji.dashboard.rollups.engine import rebuild

    troubles(world)
    rebuild()
    width, height = size
    page = phone_context(chromium, {"width": width, "height": height}).new_page()
    sign_in(page, live_server.url, "sheng", then=f"/dashboard/org/{world.province.pk}/?wall=1")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#treemap-chart canvas")
    fit = page.evaluate(MEASURE)
    assert fit["panels"] == 5
    assert fit["height"] <= fit["vh"] and fit["width"] <= fit["vw"], fit
    assert not fit["clipped"] and not fit["outside"], fit
    # Distance reading: dark, headline figures at least 4 % of the screen's height.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(11, 18, 32)"
    num = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.figure-group:not([hidden]) .num')).fontSize)"
    )
    assert num >= max(40, height * 0.04)
    assert page.is_hidden(".topbar") and page.is_hidden(".sidebar")
    shot(page, f"wall-{width}")

    # Rotation: the next group shows other figures, the ranking and the treemap follow the indicator.
    first_group = page.get_attribute(".figure-group:not([hidden])", "data-group")
    first_code = page.input_value("#wall-indicator")
    page.evaluate("window.qjWall.next()")
    assert page.get_attribute(".figure-group:not([hidden])", "data-group") != first_group
    code = page.input_value("#wall-indicator")
    assert code != first_code
    assert page.get_attribute(".wall-ranking .worst-card:not([hidden])", "data-code") == code
    assert page.evaluate(MEASURE)["height"] <= height
    # Choosing an indicator recolours the treemap (tile labels carry the values: not colour alone).
    page.select_option("#wall-indicator", "dues_rate")
    assert "党费收缴率" in page.inner_text(".wall-map h2")
    assert page.get_attribute(".wall-ranking .worst-card:not([hidden])", "data-code") == "dues_rate"

    # Refresh without flicker: after the HTMX swap the new chart box holds a canvas in the same task.
    page.evaluate("document.getElementById('trend-chart').dataset.old = '1'")
    empty_frames = page.evaluate(
        """() => new Promise(resolve => {
          let empty = 0;
          const seen = () => { const box = document.getElementById('treemap-chart');
            if (box && !box.dataset.old && !box.querySelector('canvas')) empty++; };
          const obs = new MutationObserver(() => requestAnimationFrame(seen));
          obs.observe(document.querySelector('.dashboard'), {childList: true});
          document.body.addEventListener('htmx:afterSettle', () => setTimeout(() => { obs.disconnect(); resolve(empty); }, 300), {once: true});
          htmx.ajax('GET', document.getElementById('screen').getAttribute('hx-get'), {target: '#screen', swap: 'outerHTML'});
        })"""
    )
    assert empty_frames == 0
    assert not page.evaluate("document.getElementById('trend-chart').dataset.old")
    assert page.input_value("#wall-indicator") == "dues_rate"  # the rotation kept its place
    assert page.evaluate(MEASURE)["height"] <= height

"""The offline check in a real browser (Debian's Chromium): the station branch loads the verify page,
the network goes off, and the rider's certificate still verifies; a forged one does not.

Never downloads a browser: it drives /usr/bin/chromium and skips when that is missing.
"""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from qiangji.testing.browser import BROWSER_MARKS, SCREENSHOTS, phone_context

pytestmark = BROWSER_MARKS


@pytest.fixture
def phone(chromium):
    context = phone_context(chromium)
    yield context, context.new_page()
    context.close()


def verify(page, token: str) -> str:
    page.fill("#token", token)
    page.click("#verify-button")
    page.wait_for_selector("#result:not([hidden])")
    return page.locator("#result").inner_text()


@pytest.mark.django_db(transaction=True)
def test_station_branch_verifies_a_rider_certificate_offline(phone, live_server, world):
    from qiangji.mobility import services, signing
    from qiangji.mobility.tests.factories import FLOW_VALUES, station

    st = station(world)
    services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    context, page = phone
    page.goto(f"{live_server.url}/mobility/verify/")
    context.set_offline(True)

    text = verify(page, f"{live_server.url}/mobility/verify/#{cert.token}")  # what the QR code carries
    assert "签名有效（离线核验）" in text
    assert "李*" in text and "幸福社区第一党支部" in text and "顺达站点党支部" in text
    assert "没有表决权、选举权和被选举权" in text
    assert "离线" in page.locator("#r-revocation").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "mobility-verify-offline-375.png"), full_page=True)

    forged = signing.sign_payload(signing.verify_token(cert.token).payload, key=Ed25519PrivateKey.generate())
    assert "伪造或被改动" in verify(page, forged)
    index = cert.token.rindex(".") + 10
    altered = cert.token[:index] + ("B" if cert.token[index] == "A" else "A") + cert.token[index + 1 :]
    assert "伪造或被改动" in verify(page, altered)
    assert "签名有效" in verify(page, cert.token)

    # Back online, the same page also learns that the card was revoked.
    services.revoke_certificate(actor=world.users["zhibu"], cert=cert, reason="lost")
    context.set_offline(False)
    verify(page, cert.token)
    page.wait_for_function("document.getElementById('r-revocation').textContent.includes('已注销')")


@pytest.mark.django_db(transaction=True)
def test_mobility_pages_fit_a_phone(phone, live_server, world):
    from qiangji.mobility import services
    from qiangji.mobility.tests.factories import FLOW_VALUES, station

    st = station(world)
    services.register_outflow(
        actor=world.users["zhibu"], member=world.member, values=FLOW_VALUES, in_org=st.branch
    )
    services.issue_transfer(
        actor=world.users["zhibu"], member=world.branch.members.get(name="王五"), to_org=st.committee
    )
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    _, page = phone
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "zhibu")
    page.fill("input[name=password]", "pw-test-123456")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("index", "/mobility/"),
        ("flows", "/mobility/flows/"),
        ("transfers", "/mobility/transfers/"),
        ("certificate", f"/mobility/certificates/{cert.pk}/"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        page.screenshot(path=str(SCREENSHOTS / f"mobility-{name}-375.png"), full_page=True)

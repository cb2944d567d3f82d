"""Screenshots of the running demo with Debian's Chromium (desktop 1280 and phone 375).

Usage: start `make demo` (or `PORT=8799 make demo`), then
    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8799 DEMO_PASSWORD docs/screenshots
It drives /usr/bin/chromium (apt-get install chromium fonts-noto-cjk) through Playwright; no browser download.
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

base, password, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def login(browser, user, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 800}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(base + "/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(base + "/")
    return ctx, page


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(base + "/login/")
    page.screenshot(path=str(out / "login.png"))
    ctx.close()
    ctx, page = login(browser, "xian", 1280)
    page.screenshot(path=str(out / "home-county.png"))
    page.goto(base + "/orgs/")
    page.click("details > summary")
    page.wait_for_selector(".tree-children details")
    page.locator(".tree-children details > summary").first.click()
    page.wait_for_timeout(1200)
    page.screenshot(path=str(out / "org-tree.png"))
    page.goto(base + "/members/")
    page.screenshot(path=str(out / "members.png"))
    ctx.close()
    ctx, page = login(browser, "zhibu", 375)
    page.screenshot(path=str(out / "home-branch-375.png"), full_page=True)
    page.goto(base + "/members/")
    page.screenshot(path=str(out / "members-375.png"))
    ctx.close()
    browser.close()
print("ok")

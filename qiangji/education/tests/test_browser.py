"""The learning clock in a real browser (Debian's Chromium, never a downloaded one), on a 6-second WAV
chapter generated with Python's `wave` module (no ffmpeg on this machine; Chromium plays WAV in <audio>).

A learner who seeks to the end, who reloads and seeks, or who leaves the tab gets no completion; one who
listens to the whole chapter completes it and the hours reach the ledger.
"""

import time

import pytest

from qiangji.testing.browser import BROWSER_MARKS, phone_context, shot, sign_in

pytestmark = BROWSER_MARKS


@pytest.fixture
def chapter(world, settings, tmp_path):
    from qiangji.education.tests.factories import published_chapter

    settings.MEDIA_ROOT = tmp_path
    return published_chapter(world, seconds=6, checks=0, speed=150, hours="0.5")


@pytest.fixture
def page(chromium, live_server, world):
    context = phone_context(chromium, {"width": 375, "height": 812})
    page = context.new_page()
    sign_in(page, live_server.url, "dangyuan")
    yield page
    context.close()


def open_chapter(page, live_server, chapter):
    page.goto(f"{live_server.url}/education/chapters/{chapter.pk}/")
    page.wait_for_selector("[data-player][data-ready='1']")
    page.click("h1")  # a user gesture, so the page may start playback


def play(page, at=None):
    page.evaluate(
        """(at) => { const a = document.querySelector('audio');
        return new Promise((done) => {
          const go = () => { if (at !== null) a.currentTime = at; a.play().then(done); };
          if (a.readyState >= 1) go(); else a.addEventListener('loadedmetadata', go, {once: true});
        }); }""",
        at,
    )


def completions(world):
    from qiangji.education.models import ChapterCompletion

    return ChapterCompletion.objects.filter(member=world.member).count()


def wait_ended(page, timeout=15.0):
    # Polled from Python: the site's Content-Security-Policy forbids the eval that wait_for_function uses.
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => document.querySelector('audio').ended"):
        assert time.monotonic() < deadline, "the chapter did not play to its end"
        time.sleep(0.2)
    time.sleep(1.0)  # the last report goes out on 'ended'


@pytest.mark.django_db(transaction=True)
def test_seeking_to_the_end_gives_no_completion(page, live_server, world, chapter):
    open_chapter(page, live_server, chapter)
    play(page, at=5.5)
    wait_ended(page)
    assert completions(world) == 0
    assert page.get_attribute("[data-player]", "data-completed") is None


@pytest.mark.django_db(transaction=True)
def test_reloading_and_seeking_gives_no_completion(page, live_server, world, chapter):
    open_chapter(page, live_server, chapter)
    play(page)
    time.sleep(2)
    page.reload()
    page.wait_for_selector("[data-player][data-ready='1']")
    page.click("h1")
    play(page, at=4.0)
    wait_ended(page)
    assert completions(world) == 0


@pytest.mark.django_db(transaction=True)
def test_leaving_the_tab_pauses_the_clock(page, live_server, world, chapter):
    open_chapter(page, live_server, chapter)
    play(page)
    time.sleep(1)
    page.evaluate(
        """() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    assert page.evaluate("document.querySelector('audio').paused")
    time.sleep(7)  # longer than the chapter: nothing plays, nothing counts
    assert completions(world) == 0
    assert "暂停" in page.inner_text("[data-status]")


@pytest.mark.django_db(transaction=True)
def test_listening_to_the_whole_chapter_completes_it(page, live_server, world, chapter):
    from qiangji.education.models import HourEntry

    open_chapter(page, live_server, chapter)
    play(page)
    wait_ended(page)
    page.wait_for_selector("[data-player][data-completed='1']", timeout=5000)
    assert completions(world) == 1
    assert HourEntry.objects.get(member=world.member, origin=f"chapter:{chapter.pk}").half_hours == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "education-chapter-completed-375")

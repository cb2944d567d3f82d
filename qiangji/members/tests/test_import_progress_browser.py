"""The import's progress bar moves (issue #12 item 12): a 20,000-row file generated here is imported by a
background thread (as the job worker would) while Chromium watches the job page poll its progress.  The
bar must show values between 0 and 100 in increasing order, then the end."""

import datetime
import threading
import time

import pytest
from django.urls import reverse

from qiangji.core.jobs import run_job
from qiangji.core.models import Job
from qiangji.members.roster.jobs import IMPORT_KIND, run_import
from qiangji.members.tests.import_helpers import csv_bytes, roster_row
from qiangji.testing.browser import BROWSER_MARKS, phone_context, sign_in

pytestmark = BROWSER_MARKS
ROWS = 20_000


@pytest.mark.django_db(transaction=True)
def test_the_progress_bar_moves_on_a_20k_row_file(chromium, live_server, world, tmp_path, settings):
    settings.QIANGJI_IMPORT_PROCESSES = 0  # checked in the importing thread (no fork under a browser)
    first = datetime.date(1940, 1, 1)  # the last born in 1994: 18 or over when joining in 2015
    rows = [
        roster_row(name=f"党员{n}", birth=first + datetime.timedelta(days=n), sex="男" if n % 2 else "女")
        for n in range(ROWS)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(rows))
    job = Job.objects.create(
        kind=IMPORT_KIND,
        created_by=world.users["xian"],
        org_path=world.county.path,
        params={"path": str(path), "file_name": "big.csv", "delete_after": True},
    )
    page = phone_context(chromium, {"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server.url, "xian")
    page.goto(live_server.url + reverse("imports:job", kwargs={"pk": job.pk}))
    worker = threading.Thread(target=run_job, args=(str(job.pk), run_import), daemon=True)
    worker.start()
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        value = page.get_attribute("#job-progress .progress", "aria-valuenow")
        if value is not None and (not seen or seen[-1] != int(value)):
            seen.append(int(value))
        if not worker.is_alive() and page.locator("#job-progress[hx-get]").count() == 0:
            break
        page.wait_for_timeout(250)
    worker.join(timeout=60)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.status, job.message)
    moving = [value for value in seen if 0 < value < 100]
    assert len(moving) >= 2, seen  # the bar moved while checking, not 0 then 100
    assert moving == sorted(moving), seen
    assert seen[-1] == 100 and "20000 / 20000" in page.inner_text("#job-progress")

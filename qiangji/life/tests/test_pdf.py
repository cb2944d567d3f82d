"""The printable page of the branch's work record book (支部工作记录本) for one meeting."""

import datetime

import pytest
from django.urls import reverse

from qiangji.life import services
from qiangji.life.pdf import record_context
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import push, theme_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(world):
    push(world)
    meeting = theme_day(world)
    members = list(world.branch.members.order_by("pk"))
    services.record_attendance(
        actor=world.users["zhibu"], meeting=meeting, member=members[0], status="present"
    )
    services.record_attendance(
        actor=world.users["zhibu"],
        meeting=meeting,
        member=members[1],
        status="absent",
        absence_reason="出差",
        leave_approved=True,
    )
    item = meeting.theme.items.get(kind="required")
    services.complete_checklist_item(
        actor=world.users["zhibu"], meeting=meeting, item=item, evidence="学习党章"
    )
    return services.record_held(
        actor=world.users["zhibu"],
        meeting=meeting,
        held_on=datetime.date(2026, 3, 15),
        minutes="会议学习了党章第一章。",
        host="李四",
        recorder="王五",
        place="党员活动室",
    )


def test_the_record_page_html_has_names_absences_and_checklist(world, record):
    from qiangji.core.pdf import render_html

    html = render_html("life/pdf/meeting_record.html", record_context(record))
    assert "支部工作记录本" in html and "2026年3月15日" in html and "党员活动室" in html
    assert (
        "李四" in html
        and "王五（请假：出差）" in html
        and "学习党章" in html
        and "会议学习了党章第一章。" in html
    )


def test_the_pdf_is_a_pdf_with_a_chinese_file_name(world, client_as, record):
    response = client_as(world.users["jiedao"]).get(reverse("life:meeting-pdf", kwargs={"pk": record.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["foreign", "nobody"])
def test_outside_the_subtree_is_a_404(world, client_as, record, role):
    response = client_as(world.users[role]).get(reverse("life:meeting-pdf", kwargs={"pk": record.pk}))
    assert response.status_code == 404

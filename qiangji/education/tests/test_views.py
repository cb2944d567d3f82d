"""Pages and media: the learner's year adds up across sources, coverage per organisation, exports,
uploads refused by content and size, files served with Range (206) and never as active content."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.education import selectors, services
from qiangji.education.models import Chapter, HourEntry
from qiangji.education.tests.factories import published_chapter, wav_bytes
from qiangji.life.models import Attendance, Meeting, MeetingType

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%evidence\n"


def _evidence(name="cert.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _theme_day(world, member, *, hours="2.5", held_on=datetime.date(2026, 3, 5)):
    meeting = Meeting.objects.create(
        organisation=world.branch,
        org_path=world.branch.path,
        meeting_type=MeetingType.objects.get(code="theme_day"),
        title="主题党日首学",
        held_on=held_on,
        status="held",
        study_hours=hours,
    )
    Attendance.objects.create(meeting=meeting, org_path=world.branch.path, member=member, status="present")
    return meeting


def test_the_ledger_adds_up_across_sources(world, client_as):
    member = world.member
    _theme_day(world, member)  # 2.5 h branch study from life
    services.record_training(
        actor=world.users["zhibu"],
        member=member,
        title="县委党校专题班",
        held_on=datetime.date(2026, 4, 1),
        hours="8",
        provider="school_topic",
        concentrated=True,
        evidence=_evidence(),
    )
    year = selectors.member_year(member, 2026)
    by = {row["source"]: row["half_hours"] for row in year.by_source}
    assert by["branch_study"] == 5 and by["outside"] == 16
    assert year.total_hh == 21 and year.required_hh == 64
    assert year.missing and "还差21.5学时" in year.missing[0]
    page = client_as(world.users["dangyuan"]).get(reverse("education:my-year") + "?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "已学 10.5 / 应学 32.0 学时" in text or "10.5" in text


def test_a_committee_member_needs_56_hours_and_a_concentrated_training(world):
    from qiangji.orgs.models import Committee, CommitteeMember

    committee = Committee.objects.create(
        organisation=world.branch,
        org_path=world.branch.path,
        elected_on=datetime.date(2024, 1, 1),
        term_years=3,
        term_ends_on=datetime.date(2027, 1, 1),
    )
    CommitteeMember.objects.create(
        committee=committee,
        org_path=world.branch.path,
        member=world.member,
        name=world.member.name,
        post="organisation",
        started_on=datetime.date(2024, 1, 1),
    )
    year = selectors.member_year(world.member, 2026)
    assert year.is_leader and year.required_hh == 112
    assert any("集中培训" in text for text in year.missing)
    # A seat that ended the year before does not count.
    CommitteeMember.objects.filter(member=world.member).update(ended_on=datetime.date(2025, 12, 31))
    assert not selectors.member_year(world.member, 2026).is_leader


def test_outside_training_needs_real_evidence_and_half_hour_units(world):
    actor = world.users["zhibu"]
    base = dict(
        actor=actor,
        member=world.member,
        title="外出培训",
        held_on=datetime.date(2026, 4, 1),
        provider="upper",
    )
    with pytest.raises(Exception) as bad_unit:
        services.record_training(**base, hours="1.3", evidence=_evidence())
    assert "hours" in bad_unit.value.message_dict
    with pytest.raises(Exception) as script:
        services.record_training(**base, hours="2", evidence=_evidence("x.pdf", b"<script>alert(1)</script>"))
    assert "evidence" in script.value.message_dict
    with pytest.raises(Exception) as missing:
        services.record_training(**base, hours="2", evidence=None)
    assert "evidence" in missing.value.message_dict
    assert not HourEntry.objects.exists()
    entry = services.record_training(**base, hours="1.5", evidence=_evidence())
    assert entry.half_hours == 3
    assert AuditEntry.objects.filter(action="education.entry.recorded", target_id=str(entry.pk)).exists()


def test_outside_training_for_a_foreign_member_is_404(world, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("education:training-create", args=[world.foreign_member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x"}).status_code == 404


def test_coverage_per_organisation_and_export(world, client_as):
    _theme_day(world, world.member, hours="32")
    client = client_as(world.users["jiedao"])
    page = client.get(reverse("education:coverage") + "?year=2026")
    assert page.status_code == 200
    rows = {r["organisation__name"]: r for r in page.context["rows"]}
    branch = rows["幸福社区第一党支部"]
    assert branch["members"] == 4 and branch["met"] == 1 and branch["short"] == 3
    assert branch["shortfall_hh"] == 3 * 64
    assert "另一县" not in page.content.decode()
    export = client.get(reverse("education:coverage-export") + "?year=2026&fmt=xlsx")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
    ).active
    assert sheet.max_row == 5
    csv = client.get(reverse("education:coverage-export") + "?year=2026&fmt=csv")
    assert "李四" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_the_secretary_sees_a_todo_with_the_count(world):
    from qiangji.education.todos import todos

    items = todos(world.users["zhibu"])
    assert items and items[0]["count"] == 4 and items[0]["module"] == "education"
    assert todos(world.users["dangyuan"]) == []


def test_uploads_are_checked_by_content_and_size(world, settings):
    actor = world.users["xian"]
    course = services.create_course(actor=actor, organisation=world.county, title="课程")
    fake = SimpleUploadedFile("lesson.mp4", b"#!/bin/sh\nrm -rf /\n", content_type="video/mp4")
    with pytest.raises(Exception) as refused:
        services.add_chapter(
            actor=actor, course=course, title="伪装", hours="1", upload=fake, duration_seconds=60
        )
    assert "file" in refused.value.message_dict
    settings.QIANGJI_EDUCATION_UPLOAD_MAX_MB = 0
    with pytest.raises(Exception) as big:
        services.add_chapter(
            actor=actor,
            course=course,
            title="太大",
            hours="1",
            upload=SimpleUploadedFile("a.wav", wav_bytes(1), content_type="audio/wav"),
        )
    assert "大小上限" in big.value.message_dict["file"][0]
    assert not Chapter.objects.exists()


def test_media_is_served_with_range_and_never_inline_as_active_content(world, client_as):
    chapter = published_chapter(world, seconds=2)
    client = client_as(world.users["dangyuan"])
    url = reverse("education:chapter-media", args=[chapter.pk])
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["X-Content-Type-Options"] == "nosniff" and "sandbox" in whole["Content-Security-Policy"]
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{chapter.size}"
    assert b"".join(part.streaming_content) == wav_bytes(2)[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert tail.status_code == 206 and len(b"".join(tail.streaming_content)) == 4
    assert client.get(url, HTTP_RANGE=f"bytes={chapter.size + 5}-").status_code == 416
    # The foreign county's user cannot read it.
    assert client_as(world.users["foreign"]).get(url).status_code == 404


def test_a_course_reaches_members_below_only_once_published(world, client_as):
    actor = world.users["xian"]
    course = services.create_course(actor=actor, organisation=world.county, title="未发布课程")
    services.add_chapter(actor=actor, course=course, title="一", hours="1", body="正文", duration_seconds=30)
    client = client_as(world.users["dangyuan"])
    assert client.get(reverse("education:course-detail", args=[course.pk])).status_code == 404
    services.publish_course(actor=actor, course=course)
    assert client.get(reverse("education:course-detail", args=[course.pk])).status_code == 200
    assert (
        client_as(world.users["foreign"])
        .get(reverse("education:course-detail", args=[course.pk]))
        .status_code
        == 404
    )


def test_pages_answer_for_every_role(world, client_as):
    chapter = published_chapter(world, seconds=10)
    for name in ("sheng", "xian", "jiedao", "zhibu", "dangyuan", "admin"):
        client = client_as(world.users[name])
        for url in (
            reverse("education:home"),
            reverse("education:course-list"),
            reverse("education:chapter-play", args=[chapter.pk]),
        ):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (name, url)

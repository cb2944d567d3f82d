"""Meeting pages: schedule, the phone record form, attendance toggles, checklist evidence, submit, review."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.life import services
from qiangji.life.models import Attendance, ChecklistCompletion, Meeting, MeetingAttachment
from qiangji.life.tests.test_views_common import frozen as _frozen  # noqa: F401
from qiangji.life.tests.test_views_common import media as _media  # noqa: F401
from qiangji.life.tests.test_views_common import mtype, photo, push, text, theme_day
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


class TestSchedule:
    def test_secretary_schedules_a_theme_day_with_the_pushed_theme(self, world, client_as):
        push(world)
        client = client_as(world.users["zhibu"])
        url = reverse("life:meeting-new", kwargs={"org_pk": world.branch.pk})
        assert client.get(url).status_code == 200
        response = client.post(url, {"meeting_type": mtype("theme_day").pk, "planned_on": "2026-03-25"})
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/life/meetings/{meeting.pk}/")
        assert meeting.theme.title == "学习贯彻党的二十大精神" and "学习贯彻" in meeting.title
        assert AuditEntry.objects.filter(action="life.meeting.scheduled").count() == 1

    def test_bad_input_names_the_field_and_saves_nothing(self, world, client_as):
        client = client_as(world.users["zhibu"])
        response = client.post(
            reverse("life:meeting-new", kwargs={"org_pk": world.branch.pk}), {"planned_on": "2026-02-30"}
        )
        body = text(response)
        assert response.status_code == 400 and "会议类型：必填" in body and "计划日期：格式不正确" in body
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize("role", ["dangyuan", "nobody", "foreign"])
    def test_who_may_not_schedule(self, world, client_as, role):
        response = client_as(world.users[role]).post(
            reverse("life:meeting-new", kwargs={"org_pk": world.branch.pk}),
            {"meeting_type": mtype("group").pk, "planned_on": "2026-03-25"},
        )
        assert response.status_code == 404 and not Meeting.objects.exists()


class TestRecordForm:
    def test_a_meeting_in_the_future_cannot_be_recorded_as_held(self, world, client_as):
        meeting = theme_day(world)
        response = client_as(world.users["zhibu"]).post(
            reverse("life:meeting-record", kwargs={"pk": meeting.pk}),
            {"title": meeting.title, "held_on": "2026-03-21", "minutes": "学习"},
        )
        assert response.status_code == 400 and services.NOT_YET_HELD in text(response)
        meeting.refresh_from_db()
        assert meeting.status == "planned" and meeting.minutes == "" and meeting.held_on is None

    def test_the_day_itself_is_fine_and_marks_absentees(self, world, client_as):
        meeting = theme_day(world)
        client = client_as(world.users["zhibu"])
        form = client.get(reverse("life:meeting-record", kwargs={"pk": meeting.pk}))
        assert 'type="date"' in text(form)
        response = client.post(
            reverse("life:meeting-record", kwargs={"pk": meeting.pk}),
            {
                "title": meeting.title,
                "held_on": "2026-03-20",
                "minutes": "集中学习",
                "study_hours": "1.5",
                "host": "李四",
            },
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert (
            meeting.status == "held" and meeting.minutes == "集中学习" and str(meeting.study_hours) == "1.5"
        )
        assert meeting.attendances.filter(status="absent").count() == 4

    def test_study_hours_out_of_range(self, world, client_as):
        meeting = theme_day(world)
        response = client_as(world.users["zhibu"]).post(
            reverse("life:meeting-record", kwargs={"pk": meeting.pk}), {"title": "x", "study_hours": "30"}
        )
        assert response.status_code == 400 and "学习时长（小时）：数值过大" in text(response)

    def test_member_and_foreign_cannot_edit(self, world, client_as):
        meeting = theme_day(world)
        for role in ("dangyuan", "foreign"):
            response = client_as(world.users[role]).post(
                reverse("life:meeting-record", kwargs={"pk": meeting.pk}), {"title": "改"}
            )
            assert response.status_code == 404
        meeting.refresh_from_db()
        assert meeting.title != "改"


class TestAttendance:
    def test_toggles_answer_with_the_row(self, world, client_as, branch_members):
        meeting = theme_day(world)
        client = client_as(world.users["zhibu"])
        url = reverse("life:attendance", kwargs={"pk": meeting.pk})
        page = text(client.get(url))
        assert page.count('name="status" value="present"') == 4
        wang = branch_members[1]
        response = client.post(
            url, {"member": wang.pk, "status": "leave", "absence_reason": "出差"}, HTTP_HX_REQUEST="true"
        )
        body = text(response)
        assert response.status_code == 200 and "<html" not in body and 'value="leave" checked' in body
        row = Attendance.objects.get(meeting=meeting, member=wang)
        assert row.status == "absent" and row.leave_approved and row.absence_reason == "出差"
        client.post(url, {"member": wang.pk, "status": "present"}, HTTP_HX_REQUEST="true")
        row.refresh_from_db()
        assert row.status == "present" and not row.leave_approved and row.absence_reason == ""
        assert AuditEntry.objects.filter(action="life.attendance.recorded").count() == 2

    def test_a_person_outside_the_branch_is_refused(self, world, client_as):
        meeting = theme_day(world)
        outsider = add_member(world.branch2, "外支部党员")
        response = client_as(world.users["jiedao"]).post(
            reverse("life:attendance", kwargs={"pk": meeting.pk}),
            {"member": outsider.pk, "status": "present"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400 and services.OUTSIDER in text(response)
        assert not Attendance.objects.exists()

    def test_a_committee_registers_a_guest_from_another_branch(self, world, client_as):
        meeting = theme_day(world)
        guest = add_member(world.branch2, "外支部党员")
        client = client_as(world.users["jiedao"])
        url = reverse("life:attendance", kwargs={"pk": meeting.pk})
        assert "外支部党员（幸福社区第二党支部）" in text(client.get(url))
        assert "登记列席人员" not in text(client_as(world.users["zhibu"]).get(url))
        client = client_as(world.users["jiedao"])
        client.post(url, {"member": guest.pk, "status": "present", "as_guest": "on"})
        row = Attendance.objects.get()
        assert row.is_guest and row.home_org_path == world.branch2.path and row.status == "present"
        assert "列席" in text(client.get(url))

    def test_an_invisible_person_is_a_404_for_the_secretary(self, world, client_as):
        meeting = theme_day(world)
        response = client_as(world.users["zhibu"]).post(
            reverse("life:attendance", kwargs={"pk": meeting.pk}),
            {"member": world.foreign_member.pk, "status": "present"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 404 and not Attendance.objects.exists()

    def test_bad_status_without_htmx_comes_back_as_a_message(self, world, client_as, branch_members):
        meeting = theme_day(world)
        response = client_as(world.users["zhibu"]).post(
            reverse("life:attendance", kwargs={"pk": meeting.pk}),
            {"member": branch_members[0].pk, "status": "maybe"},
            follow=True,
        )
        assert "出席情况：选项无效" in text(response) and not Attendance.objects.exists()


class TestChecklistAndSubmit:
    def held(self, world, client):
        push(world)
        meeting = theme_day(world)
        client.post(
            reverse("life:meeting-record", kwargs={"pk": meeting.pk}),
            {"title": meeting.title, "held_on": "2026-03-15"},
        )
        return meeting

    def test_evidence_photo_then_submit_then_return_and_approve(self, world, client_as):
        client = client_as(world.users["zhibu"])
        meeting = self.held(world, client)
        submit = reverse("life:meeting-submit", kwargs={"pk": meeting.pk})
        refused = client.post(submit, follow=True)
        assert "集中学习一小时" in text(refused) and Meeting.objects.get().status == "held"
        item = meeting.theme.items.get(kind="required")
        url = reverse("life:checklist", kwargs={"pk": meeting.pk, "item_pk": item.pk})
        client.post(
            url,
            {
                f"item{item.pk}-done": "1",
                f"item{item.pk}-evidence": "学习党章",
                f"item{item.pk}-photo": photo(),
            },
        )
        completion = ChecklistCompletion.objects.get()
        assert completion.done and completion.attachment.kind == "photo"
        assert (
            client.get(reverse("life:attachment-file", kwargs={"pk": completion.attachment.pk})).status_code
            == 200
        )
        client.post(submit)
        assert Meeting.objects.get().status == "submitted"

        reviewer = client_as(world.users["jiedao"])
        review = reverse("life:meeting-review", kwargs={"pk": meeting.pk})
        no_reason = reviewer.post(review, {"decision": "return", "reason": ""}, follow=True)
        assert "请填写退回理由" in text(no_reason) and Meeting.objects.get().status == "submitted"
        reviewer.post(review, {"decision": "return", "reason": "缺少照片说明"})
        assert Meeting.objects.get().return_reason == "缺少照片说明"
        page = text(
            client_as(world.users["zhibu"]).get(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}))
        )
        assert "退回理由：缺少照片说明" in page
        client.post(submit)
        reviewer = client_as(world.users["jiedao"])
        reviewer.post(review, {"decision": "approve"})
        assert Meeting.objects.get().status == "approved"

    def test_not_done_without_reason_and_a_non_image_photo_are_refused(self, world, client_as):
        client = client_as(world.users["zhibu"])
        meeting = self.held(world, client)
        item = meeting.theme.items.get(kind="required")
        url = reverse("life:checklist", kwargs={"pk": meeting.pk, "item_pk": item.pk})
        response = client.post(url, {f"item{item.pk}-done": "0"}, follow=True)
        assert "规定动作未完成须写明理由" in text(response)
        fake = photo("x.png")
        fake.content_type = "application/pdf"
        response = client.post(url, {f"item{item.pk}-done": "1", f"item{item.pk}-photo": fake}, follow=True)
        assert "佐证照片：照片须为" in text(response)
        assert not ChecklistCompletion.objects.exists() and not MeetingAttachment.objects.exists()

    def test_the_branch_cannot_review_itself(self, world, client_as):
        meeting = theme_day(world)
        Meeting.objects.filter(pk=meeting.pk).update(status="submitted", held_on=datetime.date(2026, 3, 15))
        response = client_as(world.users["zhibu"]).post(
            reverse("life:meeting-review", kwargs={"pk": meeting.pk}), {"decision": "approve"}, follow=True
        )
        assert "本支部不能审核自己的记录" in text(response) and Meeting.objects.get().status == "submitted"


class TestDetail:
    def test_member_reads_the_record_without_the_qr_or_buttons(self, world, client_as):
        meeting = theme_day(world)
        services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting)
        body = text(
            client_as(world.users["dangyuan"]).get(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}))
        )
        attendance_url = reverse("life:attendance", kwargs={"pk": meeting.pk})
        assert meeting.title in body and 'class="segno"' not in body and attendance_url not in body

    def test_query_count_does_not_grow_with_attendance(self, world, client_as, django_assert_max_num_queries):
        meeting = theme_day(world)
        for index in range(20):
            member = add_member(world.branch, f"党员{index}")
            services.record_attendance(
                actor=world.users["zhibu"], meeting=meeting, member=member, status="present"
            )
        client = client_as(world.users["zhibu"])
        with django_assert_max_num_queries(25):
            response = client.get(reverse("life:meeting-detail", kwargs={"pk": meeting.pk}))
        assert response.status_code == 200
        with django_assert_max_num_queries(20):
            assert client.get(reverse("life:attendance", kwargs={"pk": meeting.pk})).status_code == 200

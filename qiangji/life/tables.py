"""Tables of the life pages (django-tables2, shared table template: scrolls inside its box on phones)."""

import django_tables2 as tables

from qiangji.life.models import Meeting, YearPlan
from qiangji.members.models import Member


class ReviewTable(tables.Table):
    title = tables.Column(
        verbose_name="会议", linkify=("life:meeting-detail", {"pk": tables.A("pk")}), orderable=False
    )
    organisation = tables.Column(verbose_name="党支部", accessor="organisation__name", orderable=False)
    meeting_type = tables.Column(verbose_name="类型", accessor="meeting_type__name", orderable=False)
    held_on = tables.DateColumn(verbose_name="召开日期", format="Y-m-d", orderable=False)
    attendance = tables.Column(verbose_name="实到/应到", empty_values=(), orderable=False)
    checklist = tables.Column(verbose_name="规定动作", empty_values=(), orderable=False)
    submitted_at = tables.DateTimeColumn(verbose_name="报送时间", format="Y-m-d H:i", orderable=False)

    class Meta:
        model = Meeting
        fields = (
            "title",
            "organisation",
            "meeting_type",
            "held_on",
            "attendance",
            "checklist",
            "submitted_at",
        )
        template_name = "core/_table.html"
        attrs = {"class": "table"}
        empty_text = "没有待审核的会议记录"

    def render_attendance(self, record):
        return f"{record.present_count}/{record.due_count}"

    def render_checklist(self, record):
        if not record.checklist_required:
            return "—"
        return f"{record.checklist_done}/{record.checklist_required}"


class PlanTable(tables.Table):
    title = tables.Column(
        verbose_name="计划", linkify=("life:yearplan-detail", {"pk": tables.A("pk")}), orderable=False
    )
    organisation = tables.Column(verbose_name="党组织", accessor="organisation__name", orderable=False)
    updated_at = tables.DateTimeColumn(verbose_name="更新时间", format="Y-m-d H:i", orderable=False)

    class Meta:
        model = YearPlan
        fields = ("title", "organisation", "updated_at")
        template_name = "core/_table.html"
        attrs = {"class": "table"}
        empty_text = "下级党组织尚未制定该年度计划"


class LapsedTable(tables.Table):
    name = tables.Column(
        verbose_name="姓名", linkify=("life:member-life", {"pk": tables.A("pk")}), orderable=False
    )
    organisation = tables.Column(verbose_name="所在党支部", accessor="organisation__name", orderable=False)
    status = tables.Column(verbose_name="党员状态", orderable=False)
    last_life_on = tables.DateColumn(
        verbose_name="最近一次组织生活", format="Y-m-d", orderable=False, empty_values=()
    )

    class Meta:
        model = Member
        fields = ("name", "organisation", "status", "last_life_on")
        template_name = "core/_table.html"
        attrs = {"class": "table"}
        empty_text = "没有连续6个月未参加组织生活的党员"

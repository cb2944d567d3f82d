"""The member table: masked identifiers only, built from the clear suffixes so no row is decrypted."""

import django_tables2 as tables
from django.utils.html import format_html

from qiangji.members.models import Member


class MemberTable(tables.Table):
    name = tables.Column(
        verbose_name="姓名",
        linkify=("members:detail", {"pk": tables.A("pk")}),
        order_by=("name_pinyin", "id"),
    )
    sex = tables.Column(verbose_name="性别")
    organisation = tables.Column(
        verbose_name="所在党支部", accessor="organisation__name", order_by=("org_path",)
    )
    status = tables.Column(verbose_name="党员状态")
    id_number_masked = tables.Column(verbose_name="公民身份证号", orderable=False, empty_values=())
    phone = tables.Column(
        verbose_name="联系电话", accessor="phone_tail_masked", orderable=False, empty_values=()
    )
    joined_on = tables.DateColumn(verbose_name="入党日期", format="Y-m-d")
    completeness = tables.Column(verbose_name="完整度")

    class Meta:
        model = Member
        fields = (
            "name",
            "sex",
            "organisation",
            "status",
            "id_number_masked",
            "phone",
            "joined_on",
            "completeness",
        )
        attrs = {"class": "table member-table"}
        row_attrs = {"data-label-row": "member"}
        orderable = True
        empty_text = "没有符合条件的党员"
        template_name = "members/_table_base.html"

    def render_completeness(self, value):
        level = "low" if value < 60 else "mid" if value < 90 else "high"
        return format_html('<span class="completeness completeness-{}">{}%</span>', level, value)

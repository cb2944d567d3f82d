"""The roster's columns (the national collection form's items, docs/rules.md §7) and the member export.

The import template, the import's header check and the export all use `HEADERS`, so an export can be
edited and imported again.  The export masks ID numbers and phones: full values never leave the list
(a masked ID cannot be imported again; the page says so).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from qiangji.core import audit
from qiangji.core.exporting import export_response
from qiangji.members.choices import (
    ETHNICITIES,
    Category,
    Education,
    MembershipStatus,
    MemberStatus,
    Post,
    Sex,
)

# (Chinese header, field) in the order of the national collection form.
COLUMNS = (
    ("姓名", "name"),
    ("性别", "sex"),
    ("民族", "ethnicity"),
    ("公民身份证号", "id_number"),
    ("出生日期", "birth_date"),
    ("学历", "education"),
    ("人员类别", "category"),
    ("所在党支部", "organisation"),
    ("加入党组织日期", "joined_on"),
    ("转为正式党员日期", "confirmed_on"),
    ("工作岗位", "post"),
    ("联系电话", "phone"),
    ("家庭住址", "address"),
    ("党籍状态", "membership_status"),
    ("是否失联党员", "lost_contact"),
    ("失去联系日期", "lost_contact_since"),
    ("是否流动党员", "is_mobile"),
    ("外出流向", "mobile_destination"),
)
HEADERS = [header for header, _ in COLUMNS]
HEADER_OF = {field: header for header, field in COLUMNS}
# Fields the validator may complain about that have no column of their own.
HEADER_OF.update({"status": "人员类别", "status_since": "人员类别"})

SEX_LABELS = dict(Sex.choices)
ETHNICITY_LABELS = dict(ETHNICITIES)
EDUCATION_LABELS = dict(Education.choices)
CATEGORY_LABELS = dict(Category.choices)
POST_LABELS = dict(Post.choices)
MEMBERSHIP_LABELS = dict(MembershipStatus.choices)


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def member_row(member) -> list:
    """One export row; ID number and phone are masked from their clear suffixes (no decryption)."""
    phone = f"*******{member.phone_suffix}" if member.phone_suffix else ""
    lost = member.status == MemberStatus.LOST_CONTACT
    return [
        member.name,
        SEX_LABELS.get(member.sex, member.sex),
        ETHNICITY_LABELS.get(member.ethnicity, ""),
        member.id_number_masked,
        _date(member.birth_date),
        EDUCATION_LABELS.get(member.education, ""),
        CATEGORY_LABELS.get(member.category, ""),
        member.organisation.name,
        _date(member.joined_on),
        _date(member.confirmed_on),
        POST_LABELS.get(member.post, ""),
        phone,
        member.address,
        MEMBERSHIP_LABELS.get(member.membership_status, ""),
        "是" if lost else "否",
        member.lost_contact_since.strftime("%Y-%m") if member.lost_contact_since else "",
        "是" if member.is_mobile else "否",
        member.mobile_destination,
    ]


@transaction.atomic
def record_export(*, actor, members, fmt: str, filters: dict, reason: str = "") -> None:
    """Every export of personal data is audited: who, how many rows, which filter and the reason given
    (docs/security.md). The file masks ID numbers and phones."""
    audit.record(
        actor=actor,
        action="members.roster.exported",
        target_repr="党员名册导出",
        after={"count": members.count(), "format": fmt, "filters": filters, "reason": (reason or "")[:200]},
    )


def export_members(queryset, *, fmt: str):
    """Stream the (already scoped and filtered) queryset; `iterator()` keeps memory flat."""
    rows = (member_row(m) for m in queryset.select_related("organisation").iterator(chunk_size=2000))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_response(HEADERS, rows, fmt=fmt, filename=f"党员名册-{stamp}")


# Columns of codes and digits that a spreadsheet must keep as typed: as numbers, Excel would turn an
# 18-digit ID into 1.1E+17 (and drop its last digits), a phone's leading 0 or a "2024-05" into a date.
TEXT_FIELDS = ("id_number", "phone", "lost_contact_since")
TEXT_COLUMNS = tuple(index for index, (_header, field) in enumerate(COLUMNS) if field in TEXT_FIELDS)
TEMPLATE_ROWS = 2000  # rows pre-formatted as text below the header (the column style covers the rest)


def template_workbook():
    """The xlsx template: the headers, and the code columns formatted as text ("@") — on the column and
    on the first TEMPLATE_ROWS cells — so what a clerk types or pastes there stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名册"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in TEXT_COLUMNS:
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 22
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=index + 1).number_format = "@"
    sheet.freeze_panes = "A2"
    return workbook


def template_response(*, fmt: str):
    """The empty import template: the headers only (the page explains how to fill each column); the
    xlsx formats the ID number, phone and month columns as text (`template_workbook`)."""
    if fmt != "xlsx":
        return export_response(HEADERS, [], fmt=fmt, filename="党员名册导入模板")
    import tempfile

    from django.http import FileResponse

    from qiangji.core.exporting import XLSX_CONTENT_TYPE

    handle = tempfile.TemporaryFile()
    template_workbook().save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename="党员名册导入模板.xlsx", content_type=XLSX_CONTENT_TYPE
    )

"""The uploaded roster file: the form that accepts it, where it is kept, and the job that imports it
(shared by the page and the API)."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings

from qiangji.core.choices import Action
from qiangji.core.jobs import start_job
from qiangji.core.models import Job
from qiangji.core.scoping import scope_of
from qiangji.members.roster.jobs import IMPORT_KIND, import_roster_task

# Files up to this size are imported during the request (a few thousand rows, a second or two);
# larger ones go to the background worker and the page shows the progress bar.
INLINE_MAX_BYTES = 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")


class ImportForm(forms.Form):
    file = forms.FileField(label="名册文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("名册文件：只支持 .xlsx、.xls 或 .csv 文件")
        if upload.size > settings.QIANGJI_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"名册文件：文件过大，单个文件不能超过 {settings.QIANGJI_IMPORT_MAX_BYTES // 1048576} MB"
            )
        if upload.size == 0:
            raise forms.ValidationError("名册文件：文件为空")
        if not content_matches(upload):
            raise forms.ValidationError(
                "名册文件：文件内容与扩展名不符（按内容识别，不是 Excel 或 CSV 文本文件）"
            )
        return upload


# What the first bytes of each accepted type are (type by content, not by name: docs/security.md).
_XLSX_MAGIC = b"PK\x03\x04"  # a zip container (Office Open XML)
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file


def content_matches(upload) -> bool:
    """The file's content is of the type its name says: xlsx a zip, xls an OLE file, csv text in UTF-8
    or GBK without NUL bytes (an executable or an HTML page renamed .csv is refused)."""
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".xlsx":
        return head.startswith(_XLSX_MAGIC)
    if suffix == ".xls":
        return head.startswith(_XLS_MAGIC)
    if b"\x00" in head or head.startswith((_XLSX_MAGIC, _XLS_MAGIC, b"MZ", b"\x7fELF")):
        return False
    lowered = head[:2048].lstrip().lower()
    if lowered.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut at the 64 KiB boundary
                return True
    return False


def save_upload(upload) -> Path:
    """Keep the upload where the worker can read it (var/imports, never served over HTTP)."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def start_import(user, upload) -> Job:
    """Shared by the page and the API: small files run now, large ones in the background."""
    path = save_upload(upload)
    roots = scope_of(user).paths_for(Action.IMPORT)
    return start_job(
        actor=user,
        kind=IMPORT_KIND,
        org_path=roots[0] if roots else "",
        params={"path": str(path), "file_name": upload.name[:200]},
        task=import_roster_task,
        inline=upload.size <= INLINE_MAX_BYTES,
    )

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
        return upload


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

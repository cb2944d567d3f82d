"""Uploads are checked by content (not by name) and size; every roster export is audited with its reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiangji.core.models import AuditEntry
from qiangji.members.roster.uploads import ImportForm
from qiangji.members.tests.import_helpers import csv_bytes, roster_row, xlsx_bytes


def _form(name, content):
    return ImportForm(data={}, files={"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.csv", "姓名,性别\n张三,男\n".encode()),
        ("roster.csv", "姓名,性别\n张三,男\n".encode("gbk")),
    ],
)
def test_real_files_pass(name, content):
    assert _form(name, content).is_valid()


@pytest.mark.django_db
def test_real_xlsx_and_csv_rosters_pass(world):
    assert _form("r.xlsx", xlsx_bytes([roster_row()])).is_valid()
    assert _form("r.csv", csv_bytes([roster_row()])).is_valid()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.xlsx", b"just text, not a zip"),
        ("roster.xls", b"PK\x03\x04 a zip named xls"),
        ("roster.csv", b"MZ\x90\x00 an executable"),
        ("roster.csv", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("roster.csv", b"\x00\x01\x02 binary"),
        ("roster.csv", b"PK\x03\x04 a zip named csv"),
    ],
)
def test_content_that_does_not_match_the_name_is_refused(name, content):
    form = _form(name, content)
    assert not form.is_valid() and "文件内容与扩展名不符" in form.errors["file"][0]


def test_size_limit(settings):
    settings.QIANGJI_IMPORT_MAX_BYTES = 10
    form = _form("roster.csv", b"a,b\n" * 10)
    assert not form.is_valid() and "文件过大" in form.errors["file"][0]


@pytest.mark.django_db
def test_an_export_is_audited_with_count_filter_and_reason(world, client_as):
    response = client_as(world.users["zhibu"]).get(
        reverse("imports:members-export"), {"format": "csv", "reason": "年度统计核对"}
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="members.roster.exported")
    assert entry.actor == world.users["zhibu"] and entry.after["reason"] == "年度统计核对"
    assert entry.after["count"] >= 1 and entry.after["format"] == "csv"

"""Import pages, the HTMX progress partial, the CLI and the REST API (upload → job → status)."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from qiangji.core.dates import today
from qiangji.core.jobs import report_progress
from qiangji.core.models import Job
from qiangji.members.models import Member
from qiangji.members.tests.import_helpers import csv_bytes, roster_row, xlsx_bytes
from qiangji.members.tests.scope_cases_import import foreign_job


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # uploads are kept under VAR_DIR/imports until the job has read them


def upload(content: bytes, name="roster.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_new_page_and_templates(world, client_as):
    client = client_as(world.users["zhibu"])
    page = client.get(reverse("imports:new"))
    assert page.status_code == 200 and "下载 Excel 模板" in page.content.decode()
    xlsx = client.get(reverse("imports:template-xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    text = b"".join(client.get(reverse("imports:template-csv")).streaming_content).decode("utf-8-sig")
    assert text.startswith("姓名,性别,民族,公民身份证号")


@pytest.mark.parametrize("role", ["dangyuan", "nobody"])
def test_roles_without_import_right_get_403(world, client_as, role):
    assert client_as(world.users[role]).get(reverse("imports:new")).status_code == 403
    response = client_as(world.users[role]).post(
        reverse("imports:new"), {"file": upload(csv_bytes([roster_row()]))}
    )
    assert response.status_code == 403 and not Member.objects.filter(name="陈一").exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("imports:new")).status_code == 302


def test_upload_runs_and_shows_the_result(world, client_as, settings):
    client = client_as(world.users["zhibu"])
    response = client.post(reverse("imports:new"), {"file": upload(csv_bytes([roster_row()]))})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    assert job.status == "succeeded" and job.result["created"] == 1
    page = client.get(response.url).content.decode()
    assert "已导入 1 名党员" in page and "hx-trigger" not in page
    assert Member.objects.filter(name="陈一", organisation=world.branch).exists()
    assert job.params["path"].startswith(str(settings.VAR_DIR)) and not os.path.exists(job.params["path"])


def test_upload_with_errors_shows_the_error_table(world, client_as):
    client = client_as(world.users["zhibu"])
    rows = [roster_row(), roster_row(name="陈二", 性别="X")]
    response = client.post(reverse("imports:new"), {"file": upload(xlsx_bytes(rows), "r.xlsx")}, follow=True)
    html = response.content.decode()
    assert "共 1 处错误" in html and '<td data-label="行号">3</td>' in html and "性别" in html
    assert not Member.objects.filter(name__startswith="陈").exists()


def test_wrong_extension_is_refused_by_the_form(world, client_as):
    response = client_as(world.users["zhibu"]).post(reverse("imports:new"), {"file": upload(b"x", "a.pdf")})
    assert response.status_code == 200 and "只支持" in response.content.decode()
    assert not Job.objects.exists()


def test_large_upload_goes_to_the_background(
    world, client_as, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    monkeypatch.setattr("qiangji.members.roster.uploads.INLINE_MAX_BYTES", 10)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(world.users["zhibu"]).post(
            reverse("imports:new"), {"file": upload(csv_bytes([roster_row()]))}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == "queued"
    assert [result.args for result in default_task_backend.results] == [[str(job.pk)]]
    page = client_as(world.users["zhibu"]).get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    from qiangji.members.roster.jobs import import_roster_task

    import_roster_task.call(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == "succeeded" and Member.objects.filter(name="陈一").exists()


def test_progress_partial_polls_while_running(world, client_as):
    job = Job.objects.create(
        kind="members.import",
        created_by=world.users["zhibu"],
        org_path=world.branch.path,
        status=Job.Status.RUNNING,
        params={"file_name": "big.csv"},
    )
    report_progress(job.pk, 250, 1000)
    html = (
        client_as(world.users["zhibu"]).get(reverse("imports:job-progress", args=[job.pk])).content.decode()
    )
    assert 'hx-trigger="every 1s"' in html and "25%" in html and "250" in html


@pytest.mark.parametrize("role", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"])
def test_foreign_job_is_404_for_every_other_role(world, client_as, role):
    job = foreign_job(world)
    client = client_as(world.users[role])
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:job-progress", args=[job.pk])).status_code == 404
    assert client.get(reverse("api-job-detail", args=[job.pk])).status_code == 404


def test_job_is_visible_to_its_creator_and_the_subtree_above(world, client_as):
    job = Job.objects.create(
        kind="members.import", created_by=world.users["zhibu"], org_path=world.branch.path
    )
    for role in ("zhibu", "jiedao", "sheng", "admin"):
        assert client_as(world.users[role]).get(reverse("imports:job", args=[job.pk])).status_code == 200


def test_api_upload_then_poll(world, client_as, django_assert_max_num_queries):
    client = client_as(world.users["zhibu"])
    response = client.post(reverse("api-imports"), {"file": upload(csv_bytes([roster_row()]))})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "succeeded" and body["url"] == f"/api/v1/jobs/{body['job']}/"
    with django_assert_max_num_queries(5):
        status = client.get(body["url"]).json()
    assert status["status"] == "succeeded" and status["progress"] == 1 and status["total"] == 1
    assert status["errors"] == [] and status["result"]["created"] == 1


def test_api_errors_list_rows_and_columns(world, client_as):
    client = client_as(world.users["zhibu"])
    rows = [roster_row(出生日期="1990-05-02")]
    body = client.post(reverse("api-imports"), {"file": upload(csv_bytes(rows))}).json()
    status = client.get(body["url"]).json()
    assert status["status"] == "failed" and status["error_count"] == 1
    assert status["errors"][0]["row"] == 2 and status["errors"][0]["column"] == "出生日期"


def test_api_without_file_and_without_right(world, client_as):
    response = client_as(world.users["zhibu"]).post(reverse("api-imports"), {})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    denied = client_as(world.users["dangyuan"]).post(reverse("api-imports"), {"file": upload(b"x")})
    assert denied.status_code == 403


def test_cli_import_with_progress(world, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([roster_row(name=f"陈{i}") for i in range(3)]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", str(path), "--user", "zhibu", stdout=out, stderr=err)
    assert "已导入 3 名党员" in out.getvalue() and "3/3" in err.getvalue()
    assert path.exists()  # the CLI never deletes the user's own file


def test_cli_reports_errors_and_fails(world, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(
        csv_bytes([roster_row(加入党组织日期=(today() + datetime.timedelta(days=1)).isoformat())])
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_members", str(path), "--user", "zhibu", "--quiet-progress", stdout=out)
    assert "第 2 行 [加入党组织日期]" in out.getvalue()

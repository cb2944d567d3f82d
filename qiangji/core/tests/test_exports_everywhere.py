"""Export everywhere (issue #12, build 9): every list page answers ?export=xlsx|csv with what it shows (filters
applied, every row, amounts as numbers); a big export runs as a job with its own page and file."""

import csv
import decimal
import io

import openpyxl
import pytest
from django.urls import reverse

from qiangji.core import exporting

pytestmark = pytest.mark.django_db

# The 23 list pages of the issue: (URL name, kwargs from the world, user).
PAGES = [
    ("orgs:tree", None, "xian"),
    ("orgs:list", None, "xian"),
    ("recruitment:board", None, "xian"),
    ("recruitment:committee", None, "xian"),
    ("recruitment:plans", None, "xian"),
    ("recruitment:file-audits", None, "xian"),
    ("recruitment:form-ranges", None, "xian"),
    ("life:home", None, "xian"),
    ("life:calendar", "branch", "zhibu"),
    ("life:committee", "county", "xian"),
    ("life:reviews", "county", "xian"),
    ("life:plans", "county", "xian"),
    ("life:lapsed", "branch", "zhibu"),
    ("mobility:index", None, "xian"),
    ("mobility:certificate-list", None, "xian"),
    ("mobility:anchor-list", None, "xian"),
    ("mobility:community", None, "xian"),
    ("dues:month", None, "zhibu"),
    ("dues:rates", None, "xian"),
    ("dues:remittance", None, "xian"),
    ("dues:reductions", None, "xian"),
    ("dues:suggestions", None, "xian"),
]


def url_of(world, name, org):
    return reverse(name, kwargs={"org_pk": getattr(world, org).pk} if org else {})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(content: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(("name", "org", "username"), PAGES, ids=[p[0] for p in PAGES])
def test_every_list_page_exports_what_it_shows(world, client_as, name, org, username):
    client = client_as(world.users[username])
    url = url_of(world, name, org)
    page = client.get(url)
    assert page.status_code == 200, name
    html = page.content.decode()
    assert "export=xlsx" in html and "export=csv" in html, name  # the page offers its export
    shown = exporting.sheets_from_html(html)
    shown_rows = sum(len(rows) for _, _, rows in shown)

    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200, name
    assert xlsx["Content-Type"] == exporting.XLSX_CONTENT_TYPE and ".xlsx" in xlsx["Content-Disposition"]
    rows = xlsx_rows(body(xlsx))
    headers = sum(1 for _, head, _ in shown if head)
    assert len(rows) - headers == shown_rows, name

    text = body(client.get(url, {"export": "csv"})).decode("utf-8-sig")
    lines = [line for line in csv.reader(io.StringIO(text)) if line]
    assert len(lines) >= shown_rows + headers, name
    assert client.get(url, {"export": "pdfx"}).status_code == 400


def test_export_keeps_the_filters_and_every_page(world, client_as):
    from qiangji.testing import add_org

    for index in range(60):
        add_org(world.community, f"导出测试支部{index:02d}", "branch")
    client = client_as(world.users["xian"])
    page = client.get(reverse("orgs:list"), {"kind": "branch"}).content.decode()
    assert page.count("导出测试支部") <= 50  # the page shows 50 a page
    content = body(client.get(reverse("orgs:list"), {"kind": "branch", "export": "xlsx"}))
    names = [row[0] for row in xlsx_rows(content)[1:]]
    assert len([n for n in names if str(n).startswith("导出测试支部")]) == 60  # every page, not the first
    assert "某县委" not in names and "城关街道党工委" not in names  # the kind filter applied
    assert "另一县某村党支部" not in names  # the scope applied


def test_foreign_page_export_is_404_and_anonymous_redirected(world, client_as, client):
    assert client.get(reverse("orgs:list"), {"export": "csv"}).status_code == 302
    url = reverse("life:lapsed", kwargs={"org_pk": world.foreign_branch.pk})
    assert client_as(world.users["xian"]).get(url, {"export": "csv"}).status_code == 404


def test_amounts_are_numbers_and_formulas_are_neutralised():
    assert exporting.as_number("1,234.50") == decimal.Decimal("1234.50")
    assert exporting.as_number("12") == 12 and exporting.as_number("0012") == "0012"
    assert exporting.as_number("85%") == "85%" and exporting.as_number("138****0000") == "138****0000"
    handle = exporting.write_xlsx_sheets([("党费", ["姓名", "金额"], [["=cmd()", decimal.Decimal("12.50")]])])
    rows = xlsx_rows(handle.read())
    assert rows[1][0] == "'=cmd()" and rows[1][1] == 12.5 and isinstance(rows[1][1], float)


def test_large_export_runs_as_a_job_with_a_page_and_a_file(world, client_as, monkeypatch):
    from qiangji.orgs.views import OrganisationListView

    monkeypatch.setattr(OrganisationListView, "export_inline_rows", 3)
    client = client_as(world.users["xian"])
    response = client.get(reverse("orgs:list"), {"export": "csv"})
    assert response.status_code == 302 and "/exports/" in response["Location"]
    job_page = client.get(response["Location"])
    assert job_page.status_code == 200 and "下载文件" in job_page.content.decode()
    job = job_page.context["job"]
    file = client.get(reverse("export-file", args=[job.pk]))
    text = body(file).decode("utf-8-sig")
    assert "幸福社区第一党支部" in text and "另一县" not in text
    assert len([line for line in text.splitlines() if line]) == 5 + 1  # the county's 5 organisations + header
    # someone else's job is a 404
    assert client_as(world.users["jiedao"]).get(reverse("export-job", args=[job.pk])).status_code == 404

"""Spreadsheet export plumbing shared by every list: xlsx (openpyxl write-only) and csv, streamed.

Every text cell that a spreadsheet would read as a formula (`= + - @`, or a leading tab/CR) is
neutralised with a leading apostrophe (OWASP "CSV injection"): exported data are typed by users and
must never execute when a colleague opens the file.
"""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def neutralise(value):
    """Text that starts like a formula gets a leading `'`; numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_chunks(headers: list[str], rows: Iterable[Iterable], *, batch: int = 500) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel detects the encoding), a few hundred rows a chunk."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(headers).encode()
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([neutralise(_text(cell)) for cell in row]))
        if len(buffer) >= batch:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def write_xlsx(headers: list[str], rows: Iterable[Iterable], *, title: str = "Sheet1"):
    """An xlsx in a temporary file (write-only mode keeps memory flat), positioned at 0."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(cell, sheet) for cell in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


MONEY_FORMAT = "#,##0.00"


def _xlsx_cell(value, sheet=None):
    """Numbers and dates stay typed; a Decimal (money, rates) is a numeric cell with a two-place number
    format — never text, so a clerk can sum the column."""
    if isinstance(value, Decimal):
        if sheet is None or not value.is_finite():
            return float(value) if value.is_finite() else _text(value)
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = MONEY_FORMAT
        return cell
    if value is None or isinstance(value, int | float | datetime.date) and not isinstance(value, bool):
        return value
    return neutralise(_text(value))


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def export_response(headers: list[str], rows: Iterable[Iterable], *, fmt: str, filename: str):
    """A streamed csv or an xlsx file response; `filename` has no extension."""
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(headers, rows), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = _disposition(f"{filename}.csv")
        return response
    handle = write_xlsx(headers, rows, title=filename)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


# ----- Export of any list page: `?export=xlsx|csv` (issue #12, build 9) ---------------------------------------
#
# `ExportMixin` on a list view answers `?export=<fmt>` with what the page shows, filters applied: the page is
# rendered as usual (same scope, same filters, same masking of personal fields) with every row on one page,
# and the tables of its main content become the file's rows (one sheet per table in xlsx; in csv the tables
# follow each other, each after its caption). Amounts and counts are numbers, not text. A view may instead
# give its own rows (`export_sheets()`: [(title, headers, rows)]) where the page shows cards, not a table.
# Beyond EXPORT_INLINE_ROWS rows the export runs as a background job (core.jobs) with progress, and the
# page redirects to the job's page, from which the file is downloaded.

import html  # noqa: E402
import html.parser  # noqa: E402
import re  # noqa: E402

from django_tasks import task  # noqa: E402

EXPORT_PARAM = "export"
EXPORT_LABELS = (("xlsx", "Excel"), ("csv", "CSV"))
EXPORT_INLINE_ROWS = 5000
ALL_ROWS = 1_000_000
NUMBER = re.compile(r"^-?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,14})(?:\.\d+)?$")
EXPORT_JOB_KIND = "page_export"


def as_number(text: str):
    """A cell that reads as an amount or a count becomes a Decimal/int ("1,234.50" → 1234.50); codes with
    leading zeros, phone tails, percentages and ids stay text."""
    if not NUMBER.match(text):
        return text
    plain = text.replace(",", "")
    return decimal.Decimal(plain) if "." in plain else int(plain)


class _TableParser(html.parser.HTMLParser):
    """The tables inside <main> (not inside <nav>): caption, header cells and body rows as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.depth_main = 0
        self.in_nav = 0
        self.stack: list[dict] = []
        self.cell: list[str] | None = None
        self.row: list[str] | None = None
        self.row_is_header = False
        self.caption: list[str] | None = None
        self.heading: list[str] | None = None
        self.last_heading = ""
        self.skip = 0
        self.items: list[tuple[str, str]] = []  # (heading, text) of list items outside tables
        self.item: list[str] | None = None
        self.item_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.depth_main += 1
        if not self.depth_main:
            return
        if tag == "nav":
            self.in_nav += 1
        if tag in ("script", "style", "template") or "sr-only" in (attrs.get("class") or ""):
            self.skip += 1
        if tag in ("h1", "h2", "h3") and not self.stack:
            self.heading = []
        if tag == "li" and not self.in_nav and not self.stack:
            self.item_depth += 1
            if self.item_depth == 1:
                self.item = []
        if tag == "table" and not self.in_nav:
            self.stack.append({"caption": self.last_heading, "headers": [], "rows": []})
        elif not self.stack:
            return
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self.row, self.row_is_header = [], True
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            if tag == "td":
                self.row_is_header = False
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_main -= 1
        if not self.depth_main and tag != "main":
            return
        if tag == "nav" and self.in_nav:
            self.in_nav -= 1
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1
        if tag in ("h1", "h2", "h3") and self.heading is not None:
            self.last_heading = " ".join("".join(self.heading).split())
            self.heading = None
        if tag == "li" and self.item_depth:
            self.item_depth -= 1
            if not self.item_depth and self.item is not None:
                text = " ".join("".join(self.item).split())
                if text:
                    self.items.append((self.last_heading, text))
                self.item = None
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "caption" and self.caption is not None:
            table["caption"] = " ".join("".join(self.caption).split())
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row and any(self.row):
                if self.row_is_header and not table["rows"] and not table["headers"]:
                    table["headers"] = self.row
                else:
                    table["rows"].append(self.row)
            self.row = None
        elif tag == "table":
            self.tables.append(self.stack.pop())

    def handle_data(self, data):
        if self.skip:
            return
        for part in (self.cell, self.caption, self.heading, self.item):
            if part is not None:
                part.append(data)
                break


def tables_of(html_text: str) -> list[dict]:
    """[{"caption", "headers", "rows"}] of the page's main content, empty tables left out. A page that shows
    lists or cards instead of tables gives its list items, one row each under the heading they sit under."""
    parser = _TableParser()
    parser.feed(html_text)
    tables = [table for table in parser.tables if table["rows"]]
    if tables or not parser.items:
        return tables
    return [{"caption": "", "headers": ["分组", "内容"], "rows": [[h, t] for h, t in parser.items]}]


def _typed(rows):
    return ([as_number(cell) for cell in row] for row in rows)


def write_xlsx_sheets(sheets: list[tuple[str, list, list]]):
    """Several sheets (title, headers, rows) in one write-only workbook, positioned at 0."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for index, (title, headers, rows) in enumerate(sheets or [("Sheet1", [], [])], start=1):
        name = re.sub(r"[\\/*?:\[\]]", " ", title or "")[:28].strip() or f"Sheet{index}"
        while name in used:
            name = f"{name[:25]}{index}"
        used.add(name)
        sheet = workbook.create_sheet(title=name)
        if headers:
            sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def csv_of_sheets(sheets) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for index, (title, headers, rows) in enumerate(sheets):
        if len(sheets) > 1:
            yield ((writer.writerow([]) if index else "") + writer.writerow([title])).encode()
        if headers:
            yield writer.writerow([neutralise(h) for h in headers]).encode()
        for row in rows:
            yield writer.writerow([neutralise(_text(cell)) for cell in row]).encode()


def sheets_response(sheets, *, fmt: str, filename: str):
    if fmt == "csv":
        response = StreamingHttpResponse(csv_of_sheets(sheets), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = _disposition(f"{filename}.csv")
        return response
    return FileResponse(
        write_xlsx_sheets(sheets),
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def sheets_from_html(html_text: str) -> list[tuple[str, list, list]]:
    return [
        (table["caption"] or f"表{index}", table["headers"], list(_typed(table["rows"])))
        for index, table in enumerate(tables_of(html_text), start=1)
    ]


def _safe_filename(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "-", text).strip("-")[:80] or "export"


class ExportMixin:
    """`?export=xlsx|csv` on a list page (see above). Put it first among the view's bases."""

    export_title = ""  # the file's name (without date); default: the page's <title>
    export_inline_rows = EXPORT_INLINE_ROWS
    export_formats = EXPORT_LABELS

    def dispatch(self, request, *args, **kwargs):
        fmt = request.GET.get(EXPORT_PARAM)
        if request.method != "GET" or fmt is None or getattr(request, "_qiangji_exporting", False):
            return super().dispatch(request, *args, **kwargs)
        if fmt not in FORMATS:
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(
                "不支持的导出格式：请用 xlsx 或 csv".encode(), content_type="text/plain; charset=utf-8"
            )
        everything = getattr(request, "_qiangji_export_all", False)
        query = request.GET.copy()
        query.pop(EXPORT_PARAM, None)
        query.pop("page", None)
        query["per_page"] = str(ALL_ROWS if everything else self.export_inline_rows + 1)
        request.GET = query
        request._qiangji_exporting = True
        response = super().dispatch(request, *args, **kwargs)
        html_page = "text/html" in response.get("Content-Type", "")
        if response.status_code != 200 or getattr(response, "streaming", False) or not html_page:
            return response  # a redirect to sign in, a 404 outside the scope, a file ...
        if hasattr(response, "render"):
            response.render()
        page = response.content.decode()
        sheets = self.export_sheets() if hasattr(self, "export_sheets") else sheets_from_html(page)
        title = self.export_title or _page_title(page) or "导出"
        filename = f"{_safe_filename(str(title))}-{_today():%Y%m%d}"
        rows = sum(len(sheet[2]) for sheet in sheets)
        if not everything and rows > self.export_inline_rows:
            return start_page_export(request, fmt=fmt, title=filename)
        return sheets_response(sheets, fmt=fmt, filename=filename)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("export_formats", self.export_formats)
        return context


def _today():
    from qiangji.core.dates import today

    return today()


def _page_title(html_text: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html_text, re.S)
    return html.unescape(found.group(1)).split("·")[0].split("|")[0].strip() if found else ""


def start_page_export(request, *, fmt: str, title: str):
    """Queue the whole export as a job and send the person to its page (progress, then the file)."""
    from django.shortcuts import redirect

    from qiangji.core import jobs

    query = request.GET.copy()
    query.pop("per_page", None)
    job = jobs.start_job(
        actor=request.user,
        kind=EXPORT_JOB_KIND,
        org_path="",
        params={"path": request.path, "query": query.urlencode(), "fmt": fmt, "title": title},
        task=export_page_task,
    )
    return redirect("export-job", pk=job.pk)


def export_job_for(user, pk):
    """The user's own export job, or None (a job is only its creator's)."""
    from qiangji.core.models import Job

    try:
        return Job.objects.visible_to(user).filter(pk=pk, kind=EXPORT_JOB_KIND, created_by=user).first()
    except (ValueError, TypeError, decimal.InvalidOperation):
        return None
    except Exception:  # a malformed UUID
        return None


def _run_page_export(job) -> None:
    """In the worker: render the page for the job's creator with every row and store the file."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import RequestFactory
    from django.urls import resolve

    from qiangji.core import jobs

    params = job.params
    request = RequestFactory().get(
        params["path"], data=None, QUERY_STRING=params["query"] + f"&{EXPORT_PARAM}={params['fmt']}"
    )
    request.user = job.created_by
    request._qiangji_export_all = True  # type: ignore[attr-defined]
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    jobs.report_progress(job.pk, 0, 1)
    match = resolve(params["path"])
    response = match.func(request, *match.args, **match.kwargs)
    body = b"".join(response.streaming_content) if response.streaming else b"".join(response)
    name = default_storage.save(f"exports/{job.pk}.{params['fmt']}", ContentFile(body))
    jobs.finish_job(job.pk, result={"file": name, "filename": f"{params['title']}.{params['fmt']}"}, total=1)


@task()
def export_page_task(job_id: str) -> None:
    from qiangji.core import jobs

    jobs.run_job(job_id, _run_page_export)

"""Spreadsheet export plumbing shared by every list: xlsx (openpyxl write-only) and csv, streamed.

Every text cell that a spreadsheet would read as a formula (`= + - @`, or a leading tab/CR) is
neutralised with a leading apostrophe (OWASP "CSV injection"): exported data are typed by users and
must never execute when a colleague opens the file.
"""

import csv
import datetime
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

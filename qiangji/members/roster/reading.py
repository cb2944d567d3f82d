"""Reading an uploaded roster as a stream of rows: xlsx/xls with python-calamine, csv in UTF-8 (with or
without BOM) or GBK/GB18030.  File-level problems (empty, not a spreadsheet, undecodable, wrong headers)
raise `RosterFileError` with one Chinese message; nothing is imported then.
"""

import codecs
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from qiangji.members.roster.exporting import COLUMNS

NOT_A_TABLE = "无法读取该文件：请上传 Excel（.xlsx）或 CSV 文件（可先下载导入模板）"
_SAMPLE = 1 << 20
_HEADER_FIELDS = dict(COLUMNS)


class RosterFileError(Exception):
    """A problem with the file as a whole; the message is shown to the user as is."""


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    columns: dict  # field -> cell index
    total: int  # data rows, estimated for csv (used for the progress bar only)
    rows: Iterator  # (row number as Excel shows it, cells)


def open_table(path, *, max_bytes: int) -> Table:
    size = os.path.getsize(path)
    if size == 0:
        raise RosterFileError("文件为空")
    if size > max_bytes:
        raise RosterFileError(
            f"文件过大（{size / 1048576:.1f} MB），单个文件不能超过 {max_bytes // 1048576} MB，请拆分后导入"
        )
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _xlsx_table(path)
    return _csv_table(path, size)


def map_headers(cells: list) -> dict:
    """Field -> index for the exact Chinese headers; any unknown, repeated or missing header is an error."""
    columns, problems = {}, []
    for index, cell in enumerate(cells):
        header = str(cell or "").strip().lstrip("\ufeff").replace("*", "").replace("\u3000", "").strip()
        if not header:
            continue
        if header not in _HEADER_FIELDS:
            problems.append(f"第 {index + 1} 列表头“{header[:20]}”无法识别")
        elif _HEADER_FIELDS[header] in columns:
            problems.append(f"表头“{header}”重复")
        else:
            columns[_HEADER_FIELDS[header]] = index
    missing = [header for header, key in COLUMNS if key not in columns]
    if missing:
        problems.append("缺少表头：" + "、".join(missing))
    if problems:
        raise RosterFileError("第 1 行表头不正确：" + "；".join(problems[:10]) + "。请使用导入模板的表头")
    return columns


def _first_row(rows: Iterator) -> list:
    for _number, cells in rows:
        return cells
    raise RosterFileError("文件为空")


def _xlsx_table(path) -> Table:
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = enumerate(sheet.iter_rows(), start=1)
        end = sheet.end
    except Exception:  # calamine raises several error types for a damaged or foreign file
        raise RosterFileError("无法读取 Excel 文件：文件已损坏或不是 .xlsx/.xls 格式")
    if end is None:
        raise RosterFileError("文件为空")
    columns = map_headers(_first_row(rows))
    return Table("xlsx", columns, max(0, end[0]), rows)


def detect_encoding(path) -> str:
    """UTF-8 (a BOM, or a sample that decodes) else GB18030 (a superset of GBK)."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in sample:
        raise RosterFileError(NOT_A_TABLE)
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8”或 GBK 编码的 CSV，或直接上传 .xlsx 文件"
    )


def _count_lines(path) -> int:
    count = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_SAMPLE):
            count += chunk.count(b"\n")
    return count


def _csv_rows(path, encoding: str) -> Iterator:
    with open(path, encoding=encoding, newline="") as handle:
        number = 0
        try:
            for number, cells in enumerate(csv.reader(handle), start=1):
                yield number, cells
        except UnicodeDecodeError:
            raise RosterFileError(
                f"第 {number + 1} 行附近的文字编码无法识别：请将整个文件另存为 UTF-8 或 GBK 编码"
            )
        except csv.Error as exc:
            raise RosterFileError(f"第 {number + 1} 行不是有效的 CSV 内容（{exc}）")


def _csv_table(path, size: int) -> Table:
    encoding = detect_encoding(path)
    rows = _csv_rows(path, encoding)
    columns = map_headers(_first_row(rows))
    return Table("csv", columns, max(0, _count_lines(path) - 1), rows)

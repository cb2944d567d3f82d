"""Roster import (党员名册导入): one pass over an xlsx or csv file, all or nothing.

Every row is read, converted (labels → codes, Chinese dates), validated with the same
`validate_member_fields` as the form and the API, and checked for duplicate ID numbers within the file
and against the database.  Valid rows are written in batches inside ONE transaction while no error
has been seen; validation continues after the first error so that one answer lists every error by
row and column; at the end any error rolls everything back (STYLE.md "Imports ... commit all or
nothing").  The reading side lives in `importing_read`-style helpers below; writing uses COPY on
PostgreSQL (see `_CopyWriter`) and `bulk_create` elsewhere.
"""

import datetime
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from qiangji.core import audit, crypto
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.members import import_reading as reading
from qiangji.members.exporting import HEADER_OF
from qiangji.members.import_reading import RosterFileError
from qiangji.members.import_rows import RowParser
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.validation import member_columns, validate_member_fields
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

BATCH_SIZE = 2000
MAX_STORED_ERRORS = 1000
TEXT_COLUMNS = ("name", "address", "mobile_destination")


@dataclass
class ImportResult:
    """What the page, the API and the CLI show: counts, errors by row and column, or one message."""

    total: int = 0
    created: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.message

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})

    def as_dict(self) -> dict:
        return {"total": self.total, "created": self.created, "error_count": self.error_count,
                "message": self.message}


class _Rollback(Exception):
    pass


def can_import(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.IMPORT))


def import_roster(*, actor, path, file_name: str, job=None, progress: Callable | None = None,
                  today: datetime.date | None = None) -> ImportResult:
    """Import the file at `path`; nothing is written unless every row is valid.

    One audit entry `members.roster.imported` (count, file name, job id) for the whole import; one
    status event per member.  `progress(done, total)` is called after every batch.
    """
    result = ImportResult()
    if not can_import(actor):
        result.message = "您没有导入党员名册的权限"
        return result
    try:
        table = reading.open_table(path, max_bytes=settings.QIANGJI_IMPORT_MAX_BYTES)
        with transaction.atomic():
            run = _ImportRun(actor, table, result, today or timezone.localdate(), progress)
            run.execute()
            if result.error_count:
                raise _Rollback
            _record(actor, run, file_name, job)
    except RosterFileError as exc:
        result.message = str(exc)
        result.created = 0
    except _Rollback:
        result.created = 0
    result.errors.sort(key=lambda error: error["row"])
    return result


def _record(actor, run, file_name: str, job) -> None:
    org = _common_ancestor(run.used_paths)
    audit.record(
        actor=actor, action="members.roster.imported", target=job, org=org,
        target_repr=f"党员名册导入 {file_name}"[:255],
        after={"count": run.result.created, "file_name": file_name, "job_id": str(job.pk) if job else ""},
    )


def _common_ancestor(paths: set[str]):
    if not paths:
        return None
    low, high = min(paths), max(paths)
    size = 0
    while size < len(low) and size < len(high) and low[size] == high[size]:
        size += 1
    prefix = low[: size - size % Organisation.steplen]
    return Organisation.objects.filter(path=prefix).first() if prefix else None


@dataclass
class _Batch:
    """Rows prepared off the main thread: their errors and the stored columns of the valid ones."""

    rows: int = 0
    errors: list = field(default_factory=list)  # (row, column, message)
    pending: list = field(default_factory=list)  # (row, columns, id hash)


class _ImportRun:
    """One import as a two-stage pipeline.

    A helper thread reads, converts, validates and encrypts rows (pure Python, no database access),
    while this thread checks each batch against the database and COPYs it.  The database works while
    the helper computes (libpq waits release the GIL), so the import costs about the larger of the
    two instead of their sum.  The transaction and every query stay on this thread's connection.
    """

    def __init__(self, actor, table, result: ImportResult, today, progress):
        self.table, self.result, self.today, self.progress = table, result, today, progress
        self.parser = RowParser(table.columns, branches=branch_lookup(actor))
        self.seen: dict[int, int] = {}  # first 17 ID digits as an int -> first row (small and exact)
        self.used_paths: set[str] = set()
        self.writer = _CopyWriter(today) if connection.vendor == "postgresql" else _OrmWriter(today)
        self.stop = threading.Event()
        self.clean = True  # no error seen yet: keep encrypting and writing

    def execute(self) -> None:
        batches: queue.Queue = queue.Queue(maxsize=2)
        helper = threading.Thread(target=self._prepare, args=(batches,), name="roster-import", daemon=True)
        helper.start()
        try:
            while (batch := batches.get()) is not None:
                if isinstance(batch, BaseException):
                    raise batch
                self._take(batch)
        finally:
            self.stop.set()
            helper.join(timeout=5)
        if not self.result.total and not self.result.error_count:
            raise RosterFileError("文件为空：表头下面没有数据行")

    def _prepare(self, out: queue.Queue) -> None:
        try:
            batch = _Batch()
            for row_number, cells in self.table.rows:
                if self.stop.is_set():
                    return
                if not any(cell not in ("", None) for cell in cells):
                    continue
                batch.rows += 1
                self._check_row(row_number, cells, batch)
                if batch.rows >= BATCH_SIZE:
                    self._put(out, batch)
                    batch = _Batch()
            self._put(out, batch)
            self._put(out, None)
        except BaseException as exc:  # handed to the main thread, which raises it
            self._put(out, exc)

    def _put(self, out: queue.Queue, item) -> None:
        while not self.stop.is_set():
            try:
                out.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _check_row(self, row_number: int, cells: list, batch: _Batch) -> None:
        values, errors = self.parser.parse(cells)
        cleaned, field_errors = validate_member_fields(values, today=self.today)
        for key, message in field_errors.items():
            errors.setdefault(key, message)
        if not errors:
            first = self.seen.setdefault(int(cleaned["id_number"][:17]), row_number)
            if first != row_number:
                errors["id_number"] = f"公民身份证号：与第 {first} 行重复"
        if errors:
            self.clean = False
            batch.errors.extend((row_number, HEADER_OF.get(key, key), message) for key, message in errors.items())
            return
        org = values["organisation"]
        if not self.clean:  # after an error nothing is written: skip the encryption and formatting
            batch.pending.append((row_number, None, crypto.blind_index(cleaned["id_number"]), org[1]))
            return
        columns = member_columns(cleaned)
        columns.update(organisation_id=org[0], org_path=org[1], region_code=org[2])
        batch.pending.append((row_number, self.writer.prepare(columns), columns["id_number_hash"], org[1]))

    def _take(self, batch: _Batch) -> None:
        self.result.total += batch.rows
        for error in batch.errors:
            self.result.add_error(*error)
        if batch.pending:
            taken = set(Member.objects.filter(id_number_hash__in=[item[2] for item in batch.pending])
                        .values_list("id_number_hash", flat=True))
            for row_number, _payload, hashed, _path in batch.pending:
                if hashed in taken:  # existence only: the other member may be outside the user's scope
                    self.result.add_error(row_number, "公民身份证号",
                                          "公民身份证号：系统中已有该身份证号的党员，请核对，或办理组织关系转接")
        if self.result.error_count:
            self.clean = False
        elif batch.pending:
            self.used_paths.update(item[3] for item in batch.pending)
            self.writer.write([item[1] for item in batch.pending])
            self.result.created += len(batch.pending)
        if self.progress:
            self.progress(self.result.total, max(self.table.total, self.result.total))


def branch_lookup(actor) -> dict:
    """Branch name or organisation code -> (pk, path, region_code) over the branches the actor may
    import into; a name two branches share maps to None (the row must give the code)."""
    rows = (Organisation.objects.visible_to(actor, Action.IMPORT)
            .filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
            .values_list("pk", "path", "region_code", "name", "code"))
    lookup: dict = {}
    for pk, path, region, name, code in rows:
        value = (pk, path, region)
        lookup[name] = None if name in lookup else value
        lookup[code] = value
    return lookup


def _event_date(columns: dict, today):
    return columns.get("status_since") or columns.get("joined_on") or today


class _OrmWriter:
    """SQLite and other databases: bulk_create (returns the new primary keys for the events)."""

    def __init__(self, today):
        self.today = today

    def prepare(self, row: dict) -> dict:
        return row

    def write(self, rows: list[dict]) -> None:
        members = Member.objects.bulk_create([Member(**row) for row in rows], batch_size=500)
        MemberStatusEvent.objects.bulk_create([
            MemberStatusEvent(member_id=m.pk, org_path=m.org_path, status=m.status,
                              effective_on=_event_date(row, self.today), reason="名册导入")
            for m, row in zip(members, rows, strict=True)
        ], batch_size=500)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    return value.translate(_ESCAPES) if value else ""


def _date(value) -> str:
    return value.isoformat() if value else "\\N"


def _boolean(value) -> str:
    return "t" if value else "f"


def _other(value) -> str:
    if value is None:
        return "\\N"
    return value.isoformat() if isinstance(value, datetime.datetime) else str(value)


# COPY text-format converters by field type, chosen once per column (a per-value type test costs
# a third more, and this runs a million times).
_COPY_FORMAT = {"CharField": _text, "TextField": _text, "DateField": _date, "BooleanField": _boolean}


class _CopyWriter:
    """PostgreSQL: COPY in text format for members and their status events.

    `prepare` runs on the helper thread and formats each line except its primary key; `write` draws
    the keys from the sequence in one query and sends each batch as one COPY per table, so the main
    thread mostly waits on the server (with the GIL released) while the helper prepares the next batch.
    """

    def __init__(self, today):
        self.today = today
        self.now = timezone.now()
        self.now_text = self.now.isoformat()
        fields = [f for f in Member._meta.concrete_fields if f.attname != "id"]
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.defaults.update(created_at=self.now, updated_at=self.now, user_id=None)
        self.columns = [(f.attname, _COPY_FORMAT.get(f.get_internal_type(), _other)) for f in fields]
        self.member_sql = _copy_sql(Member, ["id"] + [f.column for f in fields])
        self.event_sql = _copy_sql(MemberStatusEvent,
                                   ["member_id", "org_path", "status", "effective_on", "reason", "created_at"])

    def prepare(self, row: dict) -> tuple[str, str]:
        values = {**self.defaults, **row}
        member = "\t".join([convert(values[name]) for name, convert in self.columns])
        # org_path and status are codes (no characters to escape).
        event = f"{row['org_path']}\t{row['status']}\t{_event_date(row, self.today)}\t名册导入\t{self.now_text}"
        return member, event

    def write(self, lines: list[tuple[str, str]]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [Member._meta.db_table, len(lines)])
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(self.member_sql) as copy:
                copy.write("".join(f"{pk}\t{member}\n" for pk, (member, _) in zip(ids, lines, strict=True)).encode())
            with cursor.cursor.copy(self.event_sql) as copy:
                copy.write("".join(f"{pk}\t{event}\n" for pk, (_, event) in zip(ids, lines, strict=True)).encode())


def _copy_sql(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"

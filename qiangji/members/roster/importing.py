"""Roster import (党员名册导入): one pass over an xlsx or csv file, all or nothing.

Every row is read, converted (labels → codes, Chinese dates), validated with the same
`validate_member_fields` as the form and the API, and checked for duplicate ID numbers within the file
and against the database.  Valid rows are written in batches into the import's staging table
(`roster.staging`), each batch its own short transaction, while no error has been seen; validation
continues after the first error so that one answer lists every error by row and column.  At the end,
with no error, the staged rows are published into the member table in ONE transaction with the audit
entry; any error, crash or kill publishes nothing (docs/import.md: imports commit all or nothing), and
the database's write lock is never held for the whole file (a concurrent edit does not wait).  Reading: `roster.reading`; cells to values: `roster.rows`; validation, encryption and
COPY formatting (in worker processes for large files): `roster.prepare`; writing: `roster.writers`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from qiangji.core import audit, jobs
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.members.models import Member
from qiangji.members.roster import reading
from qiangji.members.roster.prepare import Batch, prepared_batches, process_count
from qiangji.members.roster.reading import RosterFileError
from qiangji.members.roster.staging import Staging
from qiangji.members.roster.writers import writer_for
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

BATCH_SIZE = 2000
MAX_STORED_ERRORS = 1000


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
        return {
            "total": self.total,
            "created": self.created,
            "error_count": self.error_count,
            "message": self.message,
        }


class _Rollback(Exception):
    pass


def can_import(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.IMPORT))


def import_roster(
    *,
    actor,
    path,
    file_name: str,
    job=None,
    progress: Callable | None = None,
    today: datetime.date | None = None,
) -> ImportResult:
    """Import the file at `path`; nothing is written unless every row is valid.

    One audit entry `members.roster.imported` (count, file name, job id) for the whole import; one
    status event per member.  `progress(done, total)` is called after every batch.
    """
    result = ImportResult()
    if not can_import(actor):
        result.message = "您没有导入党员名册的权限"
        return result
    staging = None
    try:
        table = reading.open_table(path, max_bytes=settings.QIANGJI_IMPORT_MAX_BYTES)
        staging = Staging(job.pk if job is not None else None).create()
        run = _ImportRun(actor, table, result, today or timezone.localdate(), progress, staging)
        run.execute()
        if result.error_count:
            raise _Rollback
        with transaction.atomic():
            if job is not None and not jobs.still_owned(job.pk):
                result.message = "导入任务已被判定为中断，未导入任何数据，请重新提交"
                raise _Rollback
            staging.publish(run.today)
            _record(actor, run, file_name, job)
    except RosterFileError as exc:
        result.message = str(exc)
        result.created = 0
    except _Rollback:
        result.created = 0
    except IntegrityError:  # another import wrote the same ID number after our duplicate check
        result.message = (
            "写入时发现重复的公民身份证号（可能有另一个导入同时进行），未导入任何数据，请稍后重试"
        )
        result.created = 0
    finally:
        if staging is not None:
            staging.drop()
    result.errors.sort(key=lambda error: error["row"])
    return result


def _record(actor, run, file_name: str, job) -> None:
    org = _common_ancestor(run.used_paths)
    audit.record(
        actor=actor,
        action="members.roster.imported",
        target=job,
        org=org,
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


class _ImportRun:
    """One import: chunks of rows are prepared (inline, or in worker processes for large files) while
    this process checks duplicates and writes on the connection that holds the transaction."""

    def __init__(self, actor, table, result: ImportResult, today, progress, staging: Staging):
        self.table, self.result, self.progress = table, result, progress
        self.today = today
        now = timezone.now()
        self.preparer_args = (table.columns, branch_lookup(actor), today, connection.vendor, now)
        self.writer = writer_for(connection.vendor, today, now)
        self.writer.target = staging.table
        self.seen: dict[int, int] = {}  # ID key -> first row (ints: about 100 bytes a row)
        self.used_paths: set[str] = set()
        self.clean = True  # no error seen yet: keep encrypting and writing

    def execute(self, processes: int | None = None) -> None:
        if processes is None:
            processes = process_count(self.table.total)
        batches = prepared_batches(self._chunks(), self.preparer_args, processes, lambda: self.clean)
        for batch in batches:
            self._take(batch)
        if not self.result.total and not self.result.error_count:
            raise RosterFileError("文件为空：表头下面没有数据行")

    def _chunks(self):
        chunk = []
        for row_number, cells in self.table.rows:
            if any(cell not in ("", None) for cell in cells):
                chunk.append((row_number, cells))
                if len(chunk) >= BATCH_SIZE:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _take(self, batch: Batch) -> None:
        self.result.total += batch.rows
        for error in batch.errors:
            self.result.add_error(*error)
        pending = [item for item in batch.pending if self._first_in_file(item)]
        if pending:
            self._check_database(pending)
        if self.result.error_count:
            self.clean = False
        elif pending:
            self.used_paths.update(item[3] for item in pending)
            with transaction.atomic():  # one batch, one short transaction
                self.writer.write([item[1] for item in pending])
            self.result.created += len(pending)
        if self.progress:
            self.progress(self.result.total, max(self.table.total, self.result.total))

    def _first_in_file(self, item) -> bool:
        row_number, key = item[0], item[4]
        first = self.seen.setdefault(key, row_number)
        if first != row_number:
            self.result.add_error(row_number, "公民身份证号", f"公民身份证号：与第 {first} 行重复")
            return False
        return True

    def _check_database(self, pending: list) -> None:
        """One query a batch; existence only, since the other member may be outside the user's scope."""
        taken = set(
            Member.objects.filter(id_number_hash__in=[item[2] for item in pending]).values_list(
                "id_number_hash", flat=True
            )
        )
        for item in pending:
            if item[2] in taken:
                self.result.add_error(
                    item[0],
                    "公民身份证号",
                    "公民身份证号：系统中已有该身份证号的党员，请核对，或办理组织关系转接",
                )


def branch_lookup(actor) -> dict:
    """Branch name or organisation code -> (pk, path, region_code) over the branches the actor may
    import into; a name two branches share maps to None (the row must give the code)."""
    rows = (
        Organisation.objects.visible_to(actor, Action.IMPORT)
        .filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
        .values_list("pk", "path", "region_code", "name", "code")
    )
    lookup: dict = {}
    for pk, path, region, name, code in rows:
        value = (pk, path, region)
        lookup[name] = None if name in lookup else value
        lookup[code] = value
    return lookup

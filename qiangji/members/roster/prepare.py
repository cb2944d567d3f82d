"""The CPU-bound half of the roster import: cells → validated, encrypted, formatted rows.

Pure (no database access), so that large files are prepared in worker processes (fork) while the
importing process checks duplicates against the database and COPYs — on a machine with several
cores the import then scales past one core's worth of Python.  Small files are prepared inline.
"""

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings

from qiangji.core import crypto
from qiangji.members.roster.exporting import HEADER_OF
from qiangji.members.roster.rows import RowParser
from qiangji.members.roster.writers import writer_for
from qiangji.members.validation import member_columns, validate_member_fields

# Below this many rows the fork costs more than it saves.
POOL_MIN_ROWS = 20_000


@dataclass
class Batch:
    """One chunk of rows: how many, their errors, and the valid ones ready to write."""

    rows: int = 0
    errors: list = field(default_factory=list)  # (row, column, message)
    pending: list = field(default_factory=list)  # (row, prepared or None, id hash, org path, id key)


# Seconds one chunk may take in a helper process before the import gives up (a chunk takes well under a
# second normally): a helper that hangs fails the job instead of holding it "running" for ever.
CHUNK_TIMEOUT = 600


class Preparer:
    def __init__(self, columns: dict, branches: dict, today, vendor: str, now):
        self.parser = RowParser(columns, branches=branches)
        self.today = today
        self.writer = writer_for(vendor, today, now)

    def prepare(self, chunk: list, clean: bool) -> Batch:
        """`clean` is False once an error has been seen: then nothing will be written, so the rows
        are only validated (no encryption or formatting)."""
        batch = Batch(rows=len(chunk))
        for row_number, cells in chunk:
            self._row(row_number, cells, batch, clean)
        return batch

    def _row(self, row_number: int, cells: list, batch: Batch, clean: bool) -> None:
        values, errors = self.parser.parse(cells)
        cleaned, field_errors = validate_member_fields(values, today=self.today)
        for key, message in field_errors.items():
            errors.setdefault(key, message)
        if errors:
            batch.errors.extend(
                (row_number, HEADER_OF.get(key, key), message) for key, message in errors.items()
            )
            return
        org = values["organisation"]
        # The first 17 digits determine the number: an exact, small key for duplicates in the file.
        key = int(cleaned["id_number"][:17])
        if not clean:
            batch.pending.append((row_number, None, crypto.blind_index(cleaned["id_number"]), org[1], key))
            return
        columns = member_columns(cleaned)
        columns.update(organisation_id=org[0], org_path=org[1], region_code=org[2])
        batch.pending.append(
            (row_number, self.writer.prepare(columns), columns["id_number_hash"], org[1], key)
        )


def process_count(rows: int) -> int:
    """Worker processes for a file of `rows` rows: 0 (inline) for small files or one core."""
    if rows < POOL_MIN_ROWS:
        return 0
    configured = getattr(settings, "QIANGJI_IMPORT_PROCESSES", None)
    if configured is not None:
        return max(0, int(configured))
    return max(0, min(4, (os.cpu_count() or 1) - 1))


_worker: Preparer | None = None


def _init_worker(*args) -> None:
    global _worker
    _worker = Preparer(*args)


def _prepare_in_worker(chunk: list, clean: bool) -> Batch:
    return _worker.prepare(chunk, clean)


def prepared_batches(chunks, preparer_args: tuple, processes: int, is_clean):
    """Yield a Batch per chunk, in file order.  With processes, at most two chunks per worker are in
    flight, so memory stays flat however large the file is."""
    if not processes:
        preparer = Preparer(*preparer_args)
        for chunk in chunks:
            yield preparer.prepare(chunk, is_clean())
        return
    # A process pool that fails loudly: a helper that dies (out of memory, kill -9) or cannot start raises
    # BrokenProcessPool, which fails the import's job with nothing written, instead of the import waiting
    # forever on a result that never comes (multiprocessing.Pool re-spawns a dead worker and loses its task).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_init_worker, initargs=preparer_args
    ) as pool:
        waiting: deque = deque()
        for chunk in chunks:
            waiting.append(pool.submit(_prepare_in_worker, chunk, is_clean()))
            if len(waiting) >= 2 * processes:
                yield waiting.popleft().result(timeout=CHUNK_TIMEOUT)
        while waiting:
            yield waiting.popleft().result(timeout=CHUNK_TIMEOUT)

"""Bulk writers: the ORM's `bulk_create` everywhere, PostgreSQL's COPY where it is available.

Rows carry explicit primary keys (the loader needs them for foreign keys before anything is
written), so on PostgreSQL the id sequences are moved past them at the end.
"""

import datetime
import json
import os
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone


class BulkWriter:
    """`bulk_create` in batches: what SQLite gets, and the fallback anywhere."""

    batch_size = 2000

    def __init__(self):
        self.now = timezone.now()
        self.models: set = set()

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        self.models.add(model)
        objects = [model(**row) for row in rows]
        model._base_manager.bulk_create(objects, batch_size=self.batch_size)

    def write_dicts(self, model, rows: list[dict]) -> None:
        """Like `write`, but straight to INSERT without model instances (the history tables)."""
        if rows:
            columns = list(rows[0])
            self.write_tuples(model, columns, [tuple(row[c] for c in columns) for row in rows])

    def write_tuples(self, model, columns: list[str], rows: list[tuple]) -> None:
        """Rows as tuples in `columns` order: one executemany INSERT, values adapted as the ORM would."""
        if not rows:
            return
        self.models.add(model)
        fields = [_field(model, c) for c in columns]
        missing = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        defaults = tuple((_adapt(f) or _same)(self._default(f)) for f in missing)
        adapters = [_adapt(f) or _same for f in fields]
        names = [f.column for f in fields + missing]
        table = connection.ops.quote_name(model._meta.db_table)
        sql = (
            f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(n) for n in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        with connection.cursor() as cursor:
            convert = [(i, a) for i, a in enumerate(adapters) if a is not _same]
            for start in range(0, len(rows), 20_000):
                chunk = []
                for row in rows[start : start + 20_000]:
                    values = list(row)
                    for i, adapter in convert:
                        values[i] = adapter(values[i])
                    chunk.append(tuple(values) + defaults)
                cursor.executemany(sql, chunk)

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        return field.get_default()

    def finish(self) -> None:
        if connection.vendor != "postgresql":
            return
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.models, key=str))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _field(model, column: str):
    try:
        return model._meta.get_field(column)
    except Exception:  # an attname such as organisation_id
        return next(f for f in model._meta.concrete_fields if f.attname == column)


def _adapt(field):
    """A converter to what the SQLite driver takes for this field: what `get_db_prep_save` gives, without
    its per-value overhead (dates as ISO text, aware datetimes as naive UTC, UUIDs as hex, JSON as text)."""
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(field, models.DateTimeField):
        return lambda v: (
            None
            if v is None
            else str(v.astimezone(datetime.UTC).replace(tzinfo=None) if timezone.is_aware(v) else v)
        )
    if isinstance(field, models.DateField | models.TimeField):
        return lambda v: None if v is None else str(v)
    if isinstance(field, models.DecimalField):
        return lambda v: Decimal(str(v)) if isinstance(v, float) else v
    if isinstance(field, models.UUIDField):
        return lambda v: None if v is None else v.hex
    return None


def _same(value):
    return value


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPE)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


class CopyWriter(BulkWriter):
    """psycopg 3 `cursor.copy()`: several times faster than INSERT for millions of rows."""

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        self._copy(model, columns, [tuple(row[c] for c in columns) for row in rows], text=False)

    def write_dicts(self, model, rows: list[dict]) -> None:
        if rows:
            columns = list(rows[0])
            self._copy(model, columns, [tuple(row[c] for c in columns) for row in rows], text=True)

    def write_tuples(self, model, columns: list[str], rows: list[tuple]) -> None:
        self._copy(model, columns, rows, text=True)

    def _copy(self, model, columns: list[str], rows: list[tuple], *, text: bool) -> None:
        """`text`: the rows are formatted here in COPY's text format and sent in large blocks (the
        history tables: ~3x less client time than `write_row` per row)."""
        if not rows:
            return
        self.models.add(model)
        # Columns the loader does not know (added by later migrations) get their model default,
        # computed once per call (auto_now fields: the loader's start time).
        missing = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        defaults = tuple(self._default(f) for f in missing)
        fields = [_field(model, c) for c in columns]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        if json_at:  # COPY takes JSON as its text: a list or dict would arrive as Python's repr
            rows = [
                tuple(
                    json.dumps(v, ensure_ascii=False)
                    if i in json_at and isinstance(v, list | dict | tuple)
                    else v
                    for i, v in enumerate(row)
                )
                for row in rows
            ]
        names = [f.column for f in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in names + [f.column for f in missing])
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                if text:
                    tail = "".join("\t" + _text(v) for v in defaults) + "\n"
                    for start in range(0, len(rows), 50_000):
                        copy.write(
                            "".join("\t".join(map(_text, row)) + tail for row in rows[start : start + 50_000])
                        )
                elif defaults:
                    for row in rows:
                        copy.write_row(row + defaults)
                else:
                    for row in rows:
                        copy.write_row(row)

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        value = field.get_default()
        return json.dumps(value) if isinstance(value, dict | list) else value


def writer_for_connection() -> BulkWriter:
    return CopyWriter() if connection.vendor == "postgresql" else BulkWriter()


def database_bytes() -> int:
    """Size of the database: pg_database_size on PostgreSQL, the file (+ WAL) on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = str(connection.settings_dict["NAME"])
    return sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p))

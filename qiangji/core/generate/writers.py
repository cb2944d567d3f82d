"""Bulk writers: the ORM's `bulk_create` everywhere, PostgreSQL's COPY where it is available.

Rows carry explicit primary keys (the loader needs them for foreign keys before anything is
written), so on PostgreSQL the id sequences are moved past them at the end.
"""

import json
import os

from django.core.management.color import no_style
from django.db import connection
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

    def finish(self) -> None:
        if connection.vendor != "postgresql":
            return
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.models, key=str))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class CopyWriter(BulkWriter):
    """psycopg 3 `cursor.copy()`: several times faster than INSERT for millions of rows."""

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        self.models.add(model)
        columns = list(rows[0])
        # Columns the loader does not know (added by later migrations) get their model default.
        missing = [f for f in model._meta.concrete_fields if f.attname not in rows[0] and not f.primary_key]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns + [f.column for f in missing])
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(row[c] for c in columns) + tuple(self._default(f) for f in missing))

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

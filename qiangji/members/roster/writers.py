"""Writers for the roster import: into the import's staging table (`roster.staging`), by COPY on
PostgreSQL and by executemany elsewhere; `Staging.publish` then moves the rows into the member table.

`prepare(columns)` turns one member's stored columns into what `write` sends; it is pure (no database)
so that it runs in the preparing process or thread, and `write(prepared)` runs on the importing
connection, one short transaction per batch.
"""

import datetime

from django.db import connection
from django.utils import timezone

from qiangji.members.models import Member


def _event_date(columns: dict, today):
    return columns.get("status_since") or columns.get("joined_on") or today


class OrmWriter:
    """SQLite and other databases: the member columns as the ORM would store them, by executemany."""

    def __init__(self, today, now=None):
        self.today = today
        self.now = now or timezone.now()
        self.fields = [f for f in Member._meta.concrete_fields if f.attname != "id"]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.defaults.update(created_at=self.now, updated_at=self.now, user_id=None)
        self.target = ""  # the staging table, set by the import

    def prepare(self, row: dict) -> dict:
        return row

    def write(self, rows: list[dict]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        values = [
            [f.get_db_prep_save({**self.defaults, **row}[f.attname], connection) for f in self.fields]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(self.target)} ({columns}) VALUES ({marks})", values)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    return value.translate(_ESCAPES) if value else ""


def _code(value) -> str:
    return value or ""


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
# Columns that only ever hold codes, hashes, base64 ciphertexts, digits or latin pinyin: nothing to
# escape.  Any other text column is escaped (the safe default for a column added later).
_CODE_COLUMNS = frozenset(
    {
        "org_path",
        "region_code",
        "name_pinyin",
        "name_initials",
        "sex",
        "ethnicity",
        "id_number_encrypted",
        "id_number_hash",
        "id_suffix",
        "education",
        "category",
        "post",
        "phone_encrypted",
        "phone_hash",
        "phone_suffix",
        "status",
        "political_status",
        "membership_status",
        "family_contact_phone_encrypted",
    }
)


class CopyWriter:
    """PostgreSQL: COPY in text format into the staging table (the status events are made on publishing).

    `prepare` runs on the helper thread and formats each line except its primary key; `write` draws
    the keys from the sequence in one query and sends each batch as one COPY per table, so the main
    thread mostly waits on the server (with the GIL released) while the helper prepares the next batch.
    """

    def __init__(self, today, now=None):
        self.today = today
        self.now = now or timezone.now()
        self.now_text = self.now.isoformat()
        fields = [f for f in Member._meta.concrete_fields if f.attname != "id"]
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.defaults.update(created_at=self.now, updated_at=self.now, user_id=None)
        self.columns = [
            (
                f.attname,
                _code if f.attname in _CODE_COLUMNS else _COPY_FORMAT.get(f.get_internal_type(), _other),
            )
            for f in fields
        ]
        self.member_columns = ["id"] + [f.column for f in fields]
        self.target = ""  # the staging table, set by the import

    def prepare(self, row: dict) -> tuple[str, str]:
        values = {**self.defaults, **row}
        member = "\t".join([convert(values[name]) for name, convert in self.columns])
        # org_path and status are codes (no characters to escape).
        event = (
            f"{row['org_path']}\t{row['status']}\t{_event_date(row, self.today)}\t名册导入\t{self.now_text}"
        )
        return member, event

    def write(self, lines: list[tuple[str, str]]) -> None:
        # The raw psycopg cursor's errors are wrapped like Django's (IntegrityError etc.). The member ids
        # are drawn from the member table's sequence now, so that publishing keeps them.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Member._meta.db_table, len(lines)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(_copy_sql(self.target, self.member_columns)) as copy:
                copy.write(
                    "".join(f"{pk}\t{member}\n" for pk, (member, _) in zip(ids, lines, strict=True)).encode()
                )


def _copy_sql(table: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def writer_for(vendor: str, today, now=None):
    return CopyWriter(today, now) if vendor == "postgresql" else OrmWriter(today, now)

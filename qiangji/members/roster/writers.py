"""Writers for the roster import: COPY on PostgreSQL, `bulk_create` elsewhere.

`prepare(columns)` turns one member's stored columns into what `write` sends; it is pure (no database)
so that it runs in the preparing process or thread, and `write(prepared)` runs on the connection that
holds the import's transaction.
"""

import datetime

from django.db import connection
from django.utils import timezone

from qiangji.members.models import Member, MemberStatusEvent


def _event_date(columns: dict, today):
    return columns.get("status_since") or columns.get("joined_on") or today


class OrmWriter:
    """SQLite and other databases: bulk_create (returns the new primary keys for the events)."""

    def __init__(self, today, now=None):
        self.today = today

    def prepare(self, row: dict) -> dict:
        return row

    def write(self, rows: list[dict]) -> None:
        members = Member.objects.bulk_create([Member(**row) for row in rows], batch_size=500)
        MemberStatusEvent.objects.bulk_create(
            [
                MemberStatusEvent(
                    member_id=m.pk,
                    org_path=m.org_path,
                    status=m.status,
                    effective_on=_event_date(row, self.today),
                    reason="名册导入",
                )
                for m, row in zip(members, rows, strict=True)
            ],
            batch_size=500,
        )


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
    """PostgreSQL: COPY in text format for members and their status events.

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
        self.member_sql = _copy_sql(Member, ["id"] + [f.column for f in fields])
        self.event_sql = _copy_sql(
            MemberStatusEvent, ["member_id", "org_path", "status", "effective_on", "reason", "created_at"]
        )

    def prepare(self, row: dict) -> tuple[str, str]:
        values = {**self.defaults, **row}
        member = "\t".join([convert(values[name]) for name, convert in self.columns])
        # org_path and status are codes (no characters to escape).
        event = (
            f"{row['org_path']}\t{row['status']}\t{_event_date(row, self.today)}\t名册导入\t{self.now_text}"
        )
        return member, event

    def write(self, lines: list[tuple[str, str]]) -> None:
        # The raw psycopg cursor's errors are wrapped like Django's (IntegrityError etc.).
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Member._meta.db_table, len(lines)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(self.member_sql) as copy:
                copy.write(
                    "".join(f"{pk}\t{member}\n" for pk, (member, _) in zip(ids, lines, strict=True)).encode()
                )
            with cursor.cursor.copy(self.event_sql) as copy:
                copy.write(
                    "".join(f"{pk}\t{event}\n" for pk, (_, event) in zip(ids, lines, strict=True)).encode()
                )


def _copy_sql(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def writer_for(vendor: str, today, now=None):
    return CopyWriter(today, now) if vendor == "postgresql" else OrmWriter(today, now)

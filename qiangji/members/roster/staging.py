"""The roster import's staging table: rows are written there batch by batch, each batch its own short
transaction, and published into the member table in one transaction at the end (all or nothing).

So an import never holds the database's write lock for long — on SQLite one writer at a time, and a
60,000-row file used to hold it for the whole import, making every other write wait 30 s and fail — and a
crash leaves nothing half-published: only the staging table, which the job's cleanup drops (also when
the reaper finds the job's worker dead, `core.jobs`).

The table is `members_import_staging_<job id>`, created from the member table's own columns (so it
follows every migration) without its indexes or constraints; on PostgreSQL UNLOGGED.
"""

import re
import uuid

from django.db import connection, transaction
from django.utils import timezone

from qiangji.members.models import Member, MemberStatusEvent

PREFIX = "members_import_staging_"


def table_name(token) -> str:
    text = (token.hex if isinstance(token, uuid.UUID) else str(token)).replace("-", "").lower()
    if not re.fullmatch(r"[0-9a-f]{8,32}", text):
        raise ValueError(f"bad staging token {token!r}")
    return PREFIX + text


class Staging:
    def __init__(self, token=None):
        self.table = table_name(token or uuid.uuid4())
        quote = connection.ops.quote_name
        self.quoted = quote(self.table)
        self.fields = [f for f in Member._meta.concrete_fields]

    def create(self) -> "Staging":
        member = connection.ops.quote_name(Member._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.quoted}")
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE UNLOGGED TABLE {self.quoted} (LIKE {member} INCLUDING DEFAULTS)")
            else:
                cursor.execute(f"CREATE TABLE {self.quoted} AS SELECT * FROM {member} WHERE 0")
        return self

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self.quoted}")
            return cursor.fetchone()[0]

    def publish(self, today) -> int:
        """Move every staged row into the member table with its status event; call inside the transaction
        that also writes the import's audit entry. IntegrityError if an ID number was taken meanwhile."""
        quote = connection.ops.quote_name
        # PostgreSQL staged the ids drawn from the member sequence; SQLite numbers them on insert.
        keep_id = connection.vendor == "postgresql"
        names = [quote(f.column) for f in self.fields if keep_id or f.attname != "id"]
        order = "" if keep_id else " ORDER BY rowid"
        member = quote(Member._meta.db_table)
        event = quote(MemberStatusEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {member} ({', '.join(names)}) SELECT {', '.join(names)} FROM {self.quoted}{order}"
            )
            published = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {event} (member_id, org_path, status, effective_on, reason, created_at) "
                f"SELECT m.id, s.org_path, s.status, COALESCE(s.status_since, s.joined_on, %s), %s, %s "
                f"FROM {self.quoted} s JOIN {member} m ON m.id_number_hash = s.id_number_hash",
                [
                    MemberStatusEvent._meta.get_field("effective_on").get_db_prep_save(today, connection),
                    "名册导入",
                    MemberStatusEvent._meta.get_field("created_at").get_db_prep_save(
                        timezone.now(), connection
                    ),
                ],
            )
        return published

    def drop(self) -> None:
        drop(self.table)


def drop(table: str) -> None:
    if not table.startswith(PREFIX):
        raise ValueError(table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def leftover_tables() -> list[str]:
    """Staging tables still present (of imports that crashed before their cleanup)."""
    return [name for name in connection.introspection.table_names() if name.startswith(PREFIX)]

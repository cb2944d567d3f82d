"""A fast generator of development cases spread over all 25 steps, for the due-list benchmark.

Cases go into a scratch organisation tree (root committee → counties → branches) so that the real
data is never touched; rows are written with PostgreSQL COPY (bulk_create on SQLite).  Dates are
consistent with each case's step (application before talk before activist ...) and spread so that
every deadline rule has overdue, soon-due and later cases.  Personal items are placeholders: the
benchmark never decrypts them, and the blind index is a unique tag so the one-open-case rule holds.
"""

import datetime
import io
import random
import uuid
from dataclasses import dataclass

from django.db import connection, transaction

from qiangji.recruitment.choices import REFERENCE_FIELDS, STEP_STAGES, CaseStatus
from qiangji.recruitment.models import Case

COLUMNS = ["organisation_id", "org_path", "region_code", "name", "name_pinyin", "sex", "ethnicity", "birth_date",
           "id_number_encrypted", "id_number_hash", "id_suffix", "phone_encrypted", "phone_hash", "phone_suffix",
           "education", "employer", "address", "group", "status", "stage", "step", "last_step_on",
           *REFERENCE_FIELDS.values(), "probation_extended", "created_at", "updated_at"]
# Typical gaps (days) between a step's reference date and the next one, for consistent histories.
GAPS = {2: 20, 3: 200, 6: 180, 7: 200, 13: 120, 15: 30, 17: 60, 20: 20, 21: 365, 23: 30, 24: 60, 25: 30}


@dataclass
class ScratchTree:
    root_id: int
    root_path: str
    county_paths: list[str]
    branches: list[tuple[int, str]]  # (id, path)
    user: object
    grant_id: int

    def cleanup(self) -> None:
        """Delete the scratch cases, step rows, grant and organisations (set-wise SQL)."""
        from qiangji.orgs.models import Grant, Organisation

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Case._meta.db_table} WHERE org_path LIKE %s", [self.root_path + "%"])
            Grant.objects.filter(pk=self.grant_id).delete()
            Organisation.objects.filter(path__startswith=self.root_path).delete()


def scratch_tree(counties: int, branches_per_county: int) -> ScratchTree:
    """A root committee with `counties` county committees of `branches_per_county` branches each.

    The children are bulk-created with their materialised paths computed by treebeard's own
    `_get_path` (one INSERT per level instead of one `add_child` per node).
    """
    from django.contrib.auth import get_user_model

    from qiangji.core.choices import Role
    from qiangji.orgs.models import Grant, Organisation

    tag = uuid.uuid4().hex[:6]
    root = Organisation.objects.add_root(create_kwargs=dict(
        name=f"发展党员基准党委-{tag}", kind="committee", category="other", code=f"RB-{tag}"))
    county_rows = [Organisation(name=f"基准县{c + 1:02d}-{tag}", kind="committee", category="government",
                                code=f"RB-{tag}-{c:03d}", depth=2, numchild=branches_per_county,
                                path=Organisation._get_path(root.path, 2, c + 1)) for c in range(counties)]
    Organisation.objects.bulk_create(county_rows)
    Organisation.objects.filter(pk=root.pk).update(numchild=counties)
    branch_rows = [Organisation(name=f"基准县{c + 1:02d}第{b + 1:03d}党支部-{tag}", kind="branch", category="community",
                                code=f"RB-{tag}-{c:03d}-{b:04d}", depth=3, numchild=0,
                                path=Organisation._get_path(county.path, 3, b + 1))
                   for c, county in enumerate(county_rows) for b in range(branches_per_county)]
    Organisation.objects.bulk_create(branch_rows, batch_size=2000)
    branches = list(Organisation.objects.filter(path__startswith=root.path, depth=3).order_by("path")
                    .values_list("pk", "path"))
    user, _ = get_user_model().objects.get_or_create(username="bench-recruitment", defaults={"is_active": False})
    grant = Grant.objects.create(user=user, organisation=root, org_path=root.path, role=Role.COMMITTEE)
    return ScratchTree(root.pk, root.path, [county.path for county in county_rows], branches, user, grant.pk)


def case_rows(count: int, branches: list[tuple[int, str]], today: datetime.date, seed: int = 1):
    """Tuples in COLUMNS order: steps uniform over 1–25, dates walked back from `today`."""
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC)
    tag = uuid.uuid4().hex[:8]
    for index in range(count):
        branch_id, path = branches[index % len(branches)]
        step = rng.randint(1, 25)
        dates = _dates(step, today, rng)
        status = CaseStatus.PROBATIONARY if 15 <= step < 23 else (
            CaseStatus.CONFIRMED if step in (23, 24) else CaseStatus.ARCHIVED if step == 25 else CaseStatus.OPEN)
        yield (branch_id, path, "", f"申请人{index}", f"shenqingren{index}", "1", "01", datetime.date(1995, 1, 1),
               "bench", f"{tag}-{index}", f"{index % 10000:04d}", "", "", "", "", "", "", "other", status,
               STEP_STAGES[step], step, max(d for d in dates.values() if d), *dates.values(), False, now, now)


def _dates(step: int, today: datetime.date, rng: random.Random) -> dict:
    """Reference dates of the steps done, the last one 0–400 days ago, earlier ones before it."""
    done = [s for s in REFERENCE_FIELDS if s <= step]
    dates = dict.fromkeys(REFERENCE_FIELDS.values())
    day = today - datetime.timedelta(days=rng.randint(0, 400))
    for number in reversed(done):
        dates[REFERENCE_FIELDS[number]] = day
        day -= datetime.timedelta(days=GAPS.get(number, 30) + rng.randint(0, 30))
    if step >= 15:  # probation ends a year after the branch meeting (RULES §1 step 21)
        admitted = dates["admitted_on"]
        dates["probation_ends_on"] = admitted.replace(year=admitted.year + 1) if not (
            admitted.month == 2 and admitted.day == 29) else admitted.replace(year=admitted.year + 1, day=28)
    return dates


def write_cases(rows, *, batch: int = 20_000) -> int:
    """COPY on PostgreSQL, bulk_create elsewhere; returns the number of rows written."""
    if connection.vendor == "postgresql":
        return _copy(rows)
    written, chunk = 0, []
    for row in rows:
        chunk.append(Case(**dict(zip(COLUMNS, row, strict=True))))
        if len(chunk) >= batch:
            written += len(Case.objects.bulk_create(chunk))
            chunk = []
    return written + len(Case.objects.bulk_create(chunk))


def _copy(rows) -> int:
    columns = ", ".join(f'"{name}"' for name in COLUMNS)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {Case._meta.db_table} ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_cell(value) for value in row) + "\n")
            count += 1
            if count % 20_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)

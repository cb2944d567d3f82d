"""Cases built straight into the tables (not through services) for the UI, due-list and dossier tests."""

import datetime
import itertools

from qiangji.core import crypto
from qiangji.recruitment import rules
from qiangji.recruitment.choices import REFERENCE_FIELDS, STEP_STAGES, CaseStatus
from qiangji.recruitment.models import Case, StepRecord
from qiangji.testing import make_id_number

_names = itertools.count(1)


def make_case(
    org,
    *,
    step: int = 1,
    applied_on=datetime.date(2025, 1, 6),
    name: str | None = None,
    status: str | None = None,
    **dates,
) -> Case:
    """A case at `step` in `org` with a record per step done; pass the reference dates (talked_on=...)."""
    birth = datetime.date(1998, 5, 4)
    number = make_id_number(birth)
    if status is None:
        status = CaseStatus.PROBATIONARY if 15 <= step < 23 else CaseStatus.OPEN
    case = Case.objects.create(
        organisation=org,
        org_path=org.path,
        name=name or f"申请人{next(_names)}",
        sex="1",
        birth_date=birth,
        id_number_encrypted=crypto.encrypt(number),
        id_number_hash=crypto.blind_index(number),
        id_suffix=number[-4:],
        applied_on=applied_on,
        step=step,
        stage=STEP_STAGES[step],
        status=status,
        last_step_on=applied_on,
        **dates,
    )
    _records(case, dates)
    return case


def _records(case, dates: dict) -> None:
    """A step record for every step done, dated by the case's reference column where it has one."""
    by_step = {step: dates.get(field) for step, field in REFERENCE_FIELDS.items()}
    day = case.applied_on
    rows = []
    for step in range(1, case.step + 1):
        day = by_step.get(step) or day
        rows.append(
            StepRecord(
                case=case,
                org_path=case.org_path,
                step=step,
                occurred_on=day,
                rule_set=rules.applicable_rule_set(day),
            )
        )
    StepRecord.objects.bulk_create(rows)

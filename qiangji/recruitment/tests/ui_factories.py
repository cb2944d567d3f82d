"""Cases built straight into the tables (not through services) for the UI, due-list and dossier tests."""

import datetime
import itertools

from qiangji.core import crypto
from qiangji.core.testing import make_id_number
from qiangji.recruitment.choices import STEP_STAGES, CaseStatus
from qiangji.recruitment.models import Case

_names = itertools.count(1)


def make_case(org, *, step: int = 1, applied_on=datetime.date(2025, 1, 6), name: str | None = None,
              status: str | None = None, **dates) -> Case:
    """A case at `step` in `org`; pass the reference dates the test needs (talked_on=..., admitted_on=...)."""
    birth = datetime.date(1998, 5, 4)
    number = make_id_number(birth)
    if status is None:
        status = CaseStatus.PROBATIONARY if 15 <= step < 23 else CaseStatus.OPEN
    return Case.objects.create(
        organisation=org, org_path=org.path, name=name or f"申请人{next(_names)}", sex="1", birth_date=birth,
        id_number_encrypted=crypto.encrypt(number), id_number_hash=crypto.blind_index(number),
        id_suffix=number[-4:], applied_on=applied_on, step=step, stage=STEP_STAGES[step], status=status,
        last_step_on=applied_on, **dates)

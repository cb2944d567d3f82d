import pytest
from django.db import IntegrityError

from qiangji.recruitment.choices import REFERENCE_FIELDS, STEP_CODES, STEPS
from qiangji.recruitment.models import Case
from qiangji.recruitment.tests.factories import open_case

pytestmark = pytest.mark.django_db


def test_25_steps_in_5_stages_and_reference_columns_exist():
    assert [number for number, *_ in STEPS] == list(range(1, 26))
    assert {stage for *_, stage in STEPS} == {1, 2, 3, 4, 5}
    assert len(STEP_CODES) == 25
    columns = {field.name for field in Case._meta.get_fields()}
    assert set(REFERENCE_FIELDS.values()) <= columns


def test_applicant_items_are_encrypted_and_masked(world):
    case = open_case(world)
    stored = Case.objects.values("id_number_encrypted", "phone_encrypted").get(pk=case.pk)
    assert case.id_number not in stored["id_number_encrypted"]
    assert case.id_number_masked.endswith(case.id_suffix) and case.id_number_masked.startswith("*")
    assert case.phone == "13912345678" and case.phone_tail_masked == "*******5678"
    assert case.next_step == 2 and case.next_step_name == "派人谈话"


def test_one_open_case_per_person_in_the_database(world):
    case = open_case(world)
    clone = Case.objects.get(pk=case.pk)
    clone.pk = None
    with pytest.raises(IntegrityError):
        clone.save()

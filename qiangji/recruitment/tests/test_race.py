"""Two users approve the same step at once: the case row lock lets exactly one succeed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from qiangji.recruitment import services
from qiangji.recruitment.models import SignOff
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite has no row locks (select_for_update); the race needs PostgreSQL",
    ),
]


def test_two_users_approve_the_same_step_at_once(world, people):
    from qiangji.testing import add_user

    case = case_at(world, 16, people)
    second = add_user("jiedao2", world.street, "committee")
    barrier, outcomes = threading.Barrier(2), []

    def approve(user):
        try:
            barrier.wait()
            services.approve_admission(
                actor=user, case=case.pk, date=D(2024, 5, 10), person_name=user.username
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (world.users["jiedao"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert "不能重复办理" in str(outcomes)
    assert SignOff.objects.filter(case=case, level="approval").count() == 1

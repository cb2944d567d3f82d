import datetime

import pytest

from qiangji.service import selectors, services
from qiangji.service.models import Place, Request, RequestEvent
from qiangji.tooling.generate import generate, make_plan


@pytest.mark.django_db
def test_demo_history_writes_requests_with_history_that_the_sweep_can_climb(django_user_model):
    generate(
        make_plan(scale="county", seed=3, members=700, orgs=110, as_of=datetime.date(2026, 11, 1)),
        progress=lambda message: None,
    )
    places = Place.objects.count()
    assert places > 0
    assert Request.objects.count() == min(14_700, 40 * places)
    assert RequestEvent.objects.count() >= 2 * Request.objects.count()
    assert Request.objects.filter(escalations__gt=0).exists()
    assert not Request.objects.exclude(org_path__startswith="0001").exists()
    admin = django_user_model.objects.create_superuser("root", "", "pw-test-123456")
    got = selectors.figures(admin, start=datetime.date(2025, 11, 1), end=datetime.date(2026, 11, 2))
    assert got["total"] == Request.objects.count() and got["satisfaction_rate"] is not None
    services.escalate_lapsed()  # the generated open requests are consistent with the sweep

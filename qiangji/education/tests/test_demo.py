"""The education history of `qiangji generate`: a year of hour entries for the members on the roll, on
their own paths, and a ledger that reads them together with life's branch study."""

import datetime

import pytest

from qiangji.education import selectors
from qiangji.education.models import Course, HourEntry, TeachingSite
from qiangji.members.models import Member
from qiangji.tooling.generate import generate, make_plan

AS_OF = datetime.date(2026, 11, 1)


@pytest.mark.django_db
def test_generate_writes_a_year_of_learning():
    generate(make_plan(scale="county", seed=3, members=400, orgs=60, as_of=AS_OF), progress=lambda m: None)
    entries = HourEntry.objects.all()
    assert entries.count() > 400
    assert not entries.exclude(year=2026).exists()
    assert TeachingSite.objects.exists() and Course.objects.filter(published=True).exists()
    # Every entry sits on its member's path.
    mismatched = [e for e in entries.select_related("member")[:500] if e.org_path != e.member.org_path]
    assert not mismatched
    from django.contrib.auth import get_user_model

    admin = get_user_model()(is_superuser=True, username="x")
    from qiangji.orgs.models import Organisation

    root = Organisation.objects.filter(depth=1).first()
    rows = selectors.coverage_by_org(admin, 2026, root)
    on_roll = Member.objects.filter(status__in=("full", "probationary", "lost_contact")).count()
    assert sum(r["members"] for r in rows) == on_roll
    met = sum(r["met"] for r in rows)
    assert 0 < met < on_roll

"""Shared set-up for the life view tests: a theme pushed by the street committee and a theme day of the
branch, built through the services (the same path the pages use).

Importing `frozen` and `media` into a test module makes them autouse there: dates frozen at 2026-03-20
(Beijing time) and uploads in a temporary MEDIA_ROOT."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangji.life import services
from qiangji.life.models import MeetingType

TODAY = datetime.date(2026, 3, 20)
# A 1×1 PNG: what a phone camera upload looks like to the form (content type image/png).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def photo(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def mtype(code: str) -> MeetingType:
    return MeetingType.objects.get(code=code)


def push(world, month=3, title="学习贯彻党的二十大精神"):
    return services.push_theme(
        actor=world.users["jiedao"],
        organisation=world.street,
        year=2026,
        month=month,
        title=title,
        items=[{"kind": "required", "title": "集中学习一小时"}, {"kind": "optional", "title": "志愿服务"}],
    )


def theme_day(world, planned_on=datetime.date(2026, 3, 15)):
    return services.schedule_meeting(
        actor=world.users["zhibu"],
        organisation=world.branch,
        meeting_type=mtype("theme_day"),
        planned_on=planned_on,
    )


def text(response) -> str:
    return response.content.decode()


def reseed():
    """The meeting types of migration 0002, put back when a transactional test on a reused database
    flushed them (pytest-django runs those last; `--reuse-db` keeps the empty table for the next run)."""
    if not MeetingType.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("qiangji.life.migrations.0002_seed_meeting_types").seed(apps, None)


@pytest.fixture(autouse=True)
def frozen(db):
    reseed()
    from freezegun import freeze_time

    with freeze_time("2026-03-20 10:00:00+08:00"):
        yield TODAY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_frozen_day_is_the_service_day(db):
    assert services.today() == TODAY

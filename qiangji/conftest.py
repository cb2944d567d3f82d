import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from qiangji.testing import build_world

# Rule tables seeded by data migrations (rules live in tables with their source). A transactional
# test's teardown flushes every table, so a later transactional test on the same database would see
# them empty: put them back first, with the migrations' own seed functions.
# Each table: the migrations' seed functions ("module:function", in migration order; all idempotent).
SEEDED_BY = {
    "orgs.TermRule": [
        "orgs.migrations.0003_seed_rules:seed",
        "orgs.migrations.0004_committee_min_seats:seed",
        "orgs.migrations.0005_rule_sources_cite_docs:cite_docs",
    ],
    "recruitment.Rule": [
        "recruitment.migrations.0002_seed_rules:seed",
        "recruitment.migrations.0005_rule_state_step_order:forward",
        "recruitment.migrations.0006_authority_rules:forward",
    ],
    "recruitment.AuthorityRule": ["recruitment.migrations.0006_authority_rules:forward"],
    "life.MeetingType": [
        "life.migrations.0002_seed_meeting_types:seed",
        "life.migrations.0005_meeting_type_sources_cite_docs:cite_docs",
    ],
    "dues.DuesRule": ["dues.migrations.0002_seed_rules:seed"],
    "education.HourRule": ["education.migrations.0002_seed_hour_rules:seed"],
    "governance.PowerItem": ["governance.migrations.0002_seed_templates:seed"],
    "governance.DecisionRule": ["governance.migrations.0002_seed_templates:seed"],
    "service.Category": ["service.migrations.0002_seed_rules:seed"],
    "service.DeskRule": ["service.migrations.0002_seed_rules:seed"],
}


def reseed_rule_tables():
    for label, functions in SEEDED_BY.items():
        if not apps.get_model(label).objects.exists():
            for entry in functions:
                module, function = entry.split(":")
                getattr(importlib.import_module(f"qiangji.{module}"), function)(apps, None)


@pytest.fixture(autouse=True)
def _rule_tables_after_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        reseed_rule_tables()


@pytest.fixture(autouse=True, scope="session")
def _sqlite_flush_past_audit_triggers():
    """SQLite refuses DELETE on the audit log (core migration 0006); a transactional test's flush drops
    the DELETE triggers around its DELETEs and recreates them (PostgreSQL flushes by TRUNCATE)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from qiangji.core.audit import sqlite_flush_statements

    DatabaseOperations = DatabaseWrapper.ops_class
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        return sqlite_flush_statements(original(self, style, tables, **kwargs), tables)

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_as(client):
    """client_as(user) logs the test client in as that user and returns it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def chromium():
    """Debian's Chromium under Playwright (see qiangji/core/testing_browser.py)."""
    from qiangji.testing.browser import launch_chromium

    with launch_chromium() as browser:
        yield browser

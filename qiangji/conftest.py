import pytest
from django.core.cache import cache

from qiangji.core.testing import build_world


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

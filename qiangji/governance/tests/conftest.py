import pytest

from qiangji.governance.tests.factories import village_world


@pytest.fixture
def gw(world):
    return village_world(world)

import pytest

from qiangji.dashboard.rollups import engine
from qiangji.dashboard.tests.rollup_world import populate


@pytest.fixture
def data(world):
    """The rollup world (data in every module) with the rollups built; a module may define its own `data`."""
    result = populate(world)
    engine.rebuild()
    return result

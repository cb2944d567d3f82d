import pytest


@pytest.fixture
def people(world):
    from qiangji.recruitment.tests.factories import full_members

    return full_members(world)

import pytest

from qiangji.assessment import services
from qiangji.assessment.tests.helpers import YEAR


@pytest.fixture
def example_set(world):
    """The documented example set, owned by the county (world.county), for every branch kind."""
    return services.create_example_set(actor=world.users["xian"], organisation=world.county, year=YEAR)

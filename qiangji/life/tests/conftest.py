import pytest

from qiangji.members.models import Member


@pytest.fixture
def branch_members(world):
    """The four members of world.branch, 李四 (dangyuan's record) first."""
    return list(Member.objects.filter(organisation=world.branch).order_by("pk"))

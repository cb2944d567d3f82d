"""Local check of scope_cases.py (the central walker covers every app): each members URL has a
case, and every role outside the foreign subtree gets 404 or a list without the foreign member."""

import pytest
from django.urls import get_resolver, reverse

from qiangji.members.tests.scope_cases import CASES, EXEMPT

pytestmark = pytest.mark.django_db


def members_url_names():
    resolver = get_resolver()
    names = {
        f"members:{name}"
        for name in get_resolver().namespace_dict["members"][1].reverse_dict
        if isinstance(name, str)
    }
    names |= {
        name
        for name in ("member-list", "member-detail", "member-completeness")
        if name in resolver.reverse_dict
    }
    return names


def test_every_url_has_a_case():
    assert members_url_names() - set(CASES) - set(EXEMPT) == set()


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize(
    "user", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"]
)  # sheng covers both counties
def test_foreign_object_is_invisible(world, client_as, name, user):
    from qiangji.members.models import Member

    url = reverse(name, kwargs=CASES[name](world))
    client = client_as(world.users[user])
    before = Member.objects.get(pk=world.foreign_member.pk).updated_at
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code in (200, 302, 400, 405):
            assert "外县党员" not in response.content.decode(), (name, method)
        else:
            assert response.status_code == 404, (name, method, response.status_code)
    assert Member.objects.get(pk=world.foreign_member.pk).updated_at == before

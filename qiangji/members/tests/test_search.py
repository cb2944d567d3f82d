"""The search box's query shapes (issue #6): narrow/wide subtrees, name grams, the capped or estimated count.

The same answers whatever the shape: with or without the subtree path (`within`), narrow or wide, on
SQLite and on PostgreSQL (where migration members 0006 adds the indexes and `qiangji_name_grams`).
"""

import pytest
from django.db import connection

from qiangji.core.choices import Action
from qiangji.members import selectors
from qiangji.members.models import Member
from qiangji.members.selectors import name_grams, search_members, search_page
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db
NAMES = ["王建军", "李建军", "王军", "欧阳建国", "建军王", "王", "张伟", "单雄信"]


@pytest.fixture
def people(world):
    made = [add_member(world.branch, name) for name in NAMES]
    add_member(world.foreign_branch, "王建军")  # outside every scope used below
    return made


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


@pytest.mark.parametrize(
    "text",
    [
        "王",
        "建军",
        "王建",
        "王建军",
        "军王",
        "欧阳",
        "阳建国",
        "jj",
        "wjj",
        "wang",
        "ouyang",
        "z",
        "雄",
        "龘",
        "建军王",
    ],
)
@pytest.mark.parametrize("narrow", [True, False])
def test_same_answer_with_or_without_the_subtree_narrow_or_wide(world, people, monkeypatch, text, narrow):
    monkeypatch.setattr(selectors, "NARROW_ORGS", 10_000 if narrow else 0)
    base = Member.objects.filter(org_path__startswith=world.county.path)
    expected = sorted(m.name for m in base if _matches(m, text))
    assert names(search_members(base, text)) == expected
    assert names(search_members(base, text, within=world.county.path)) == expected
    assert names(search_members(base, text, within=world.branch.path)) == expected


def _matches(member, text: str) -> bool:
    if text.isascii():
        return member.name_initials.startswith(text) or member.name_pinyin.startswith(text)
    return text in member.name


def test_suffixes_with_the_subtree(world, people, monkeypatch):
    base = Member.objects.filter(org_path__startswith=world.county.path)
    member = people[0]
    for narrow in (True, False):
        monkeypatch.setattr(selectors, "NARROW_ORGS", 10_000 if narrow else 0)
        found = search_members(base, member.id_suffix, within=world.county.path)
        assert member in found and all(
            m.id_suffix == member.id_suffix or m.phone_suffix == member.id_suffix for m in found
        )


def test_within_never_widens_the_scope(world, people):
    base = Member.objects.visible_to(world.users["zhibu"], Action.VIEW)
    # `within` is a hint about the subtree, never a scope: a foreign path adds nobody.
    for path in (world.foreign_branch.path, world.foreign_county.path, world.branch.path, None):
        found = search_members(base, "王建军", within=path)
        assert world.foreign_member not in found and all(
            m.org_path.startswith(world.branch.path) for m in found
        )


def test_results_come_in_the_roster_order(world, people):
    found = list(search_members(Member.objects.filter(org_path__startswith=world.county.path), "建军"))
    assert [(m.org_path, m.name_pinyin, m.pk) for m in found] == sorted(
        (m.org_path, m.name_pinyin, m.pk) for m in found
    )


def test_page_counts_a_short_page_itself_caps_and_estimates(world, people, monkeypatch):
    base = Member.objects.filter(org_path__startswith=world.county.path)
    assert search_page(base, "王", limit=25) == (5, False, list(search_members(base, "王")))
    count, more, rows = search_page(base, "王", limit=2)
    assert (count, more, len(rows)) == (5, False, 2)
    count, more, rows = search_page(base, "王", limit=2, cap=3)
    assert (count, more, len(rows)) == (3, True, 2)  # "more than 3"
    assert search_page(base, "王", limit=2, offset=4)[:2] == (5, False)
    assert search_page(base, "龘") == (0, False, [])
    if connection.vendor == "postgresql":
        monkeypatch.setattr(selectors, "_estimated_rows", lambda queryset: 220_000)
        assert search_page(base, "王", limit=2)[:2] == (220_000, True)  # "about 220,000": not counted
        monkeypatch.setattr(selectors, "_estimated_rows", lambda queryset: 4)
        assert search_page(base, "王", limit=2)[:2] == (5, False)  # a low estimate is checked by counting


def test_name_grams_in_python_and_in_the_database(world, people):
    assert name_grams("王") == ["王"]
    assert name_grams("王建军") == ["建军", "王建"]
    assert name_grams("建建") == ["建建"]
    if connection.vendor != "postgresql":
        return
    rows = Member.objects.filter(pk__in=[p.pk for p in people]).annotate(grams=selectors.NameGrams("name"))
    for member in rows:
        expected = set(member.name) | {member.name[i : i + 2] for i in range(len(member.name) - 1)}
        assert set(member.grams) == expected


def test_is_narrow_counts_the_organisations_of_the_subtree(world, monkeypatch):
    assert selectors.is_narrow(world.branch.path) and not selectors.is_narrow(None)
    monkeypatch.setattr(selectors, "NARROW_ORGS", 1)
    assert selectors.is_narrow(world.branch.path) and not selectors.is_narrow(world.county.path)


def test_the_indexes_exist_on_postgresql_only():
    with connection.cursor() as cursor:
        names = {
            index["name"] if isinstance(index, dict) else index
            for index in connection.introspection.get_constraints(cursor, Member._meta.db_table)
        }
    wanted = {
        "member_search_path_c",
        "member_search_pinyin_c",
        "member_search_initials_c",
        "member_search_name_grams",
    }
    assert (wanted <= names) == (connection.vendor == "postgresql")

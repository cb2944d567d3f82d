"""Search and completeness selectors."""

import pytest

from qiangji.core.choices import Action
from qiangji.members.models import Member
from qiangji.members.selectors import completeness_for, search_members
from qiangji.testing import add_member

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_search_by_surname_reading_full_pinyin_and_initials(world):
    base = Member.objects.visible_to(world.users["zhibu"], Action.VIEW)
    assert names(search_members(base, "shan")) == ["单雄信"]
    assert names(search_members(base, "sxx")) == ["单雄信"]
    assert names(search_members(base, "SXX")) == ["单雄信"]
    assert names(search_members(base, "dan")) == []  # pypinyin's general reading is wrong for the surname
    assert names(search_members(base, "雄")) == ["单雄信"]


def test_search_by_id_suffix_phone_suffix_and_full_numbers(world):
    base = Member.objects.visible_to(world.users["zhibu"], Action.VIEW)
    other = add_member(world.branch, "曾国藩", phone="13912340042")
    assert "曾国藩" in names(search_members(base, other.id_suffix))
    assert "曾国藩" in names(search_members(base, "0042"))
    assert names(search_members(base, "13912340042")) == ["曾国藩"]
    assert names(search_members(base, other.id_number)) == ["曾国藩"]
    assert names(search_members(base, other.id_number.lower())) == ["曾国藩"]


def test_search_never_widens_the_scope(world):
    base = Member.objects.visible_to(world.users["zhibu"], Action.VIEW)
    assert names(search_members(base, world.foreign_member.id_number)) == []
    assert names(search_members(base, "wai")) == []


def test_completeness_for_org_and_queryset(world):
    world.member.completeness = 50
    world.member.save()
    summary = completeness_for(world.branch)
    assert summary["members"] == 4
    keys = [key for key, _label, _count in summary["missing"]]
    assert keys[:3] == ["education", "post", "address"] or set(keys) >= {"education", "post", "address"}
    assert dict((k, c) for k, _l, c in summary["missing"])["education"] == 4
    assert completeness_for(Member.objects.none())["average"] is None
    assert completeness_for(world.foreign_county)["members"] == 1


def test_left_and_deceased_members_do_not_count(world):
    add_member(world.branch, "已故", status="deceased", completeness=0)
    assert completeness_for(world.branch)["members"] == 4


def test_large_sets_reuse_a_cached_summary(world, monkeypatch):
    from qiangji.members import selectors

    base = Member.objects.filter(org_path__startswith=world.branch.path)
    fresh = selectors.cached_completeness(base)
    assert fresh["members"] == 4
    monkeypatch.setattr(selectors, "CACHE_ABOVE", 2)
    first = selectors.cached_completeness(base)
    add_member(world.branch, "新党员")
    assert selectors.cached_completeness(base) == first  # cached
    monkeypatch.setattr(selectors, "CACHE_ABOVE", 100)
    assert selectors.cached_completeness(base)["members"] == 5  # small sets are always fresh
    assert selectors.cached_completeness(Member.objects.none())["members"] == 0

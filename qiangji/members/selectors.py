"""Reads of the member registry.  Callers pass a queryset already scoped with `.visible_to()`."""

import hashlib
import re

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Avg, Count, Q, QuerySet

from qiangji.core import crypto
from qiangji.members.choices import Category, MemberStatus
from qiangji.members.models import Member
from qiangji.members.validation import NATIONAL_ITEMS

_DIGITS = re.compile(r"^\d{3,17}[\dXx]$")
_LETTERS = re.compile(r"^[a-zA-Z]+$")


def search_members(queryset: QuerySet, text: str) -> QuerySet:
    """Search box semantics: digits → last digits (or the full number) of an ID or phone; latin
    letters → pinyin (full or initials, with surname readings from core.pinyin); else the name."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return queryset
    if _DIGITS.match(text):
        return queryset.filter(_number_q(text.upper()))
    if _LETTERS.match(text):
        text = text.lower()
        return queryset.filter(Q(name_initials__startswith=text) | Q(name_pinyin__startswith=text))
    return queryset.filter(name__contains=text)


def _number_q(text: str) -> Q:
    if len(text) == 18:
        return Q(id_number_hash=crypto.blind_index(text))
    if len(text) == 11 and text.isdigit():
        return Q(phone_hash=crypto.blind_index(text))
    if not text.isdigit():
        return Q(id_suffix=text[-4:])
    return Q(id_suffix=text[-4:]) | Q(phone_suffix=text[-4:])


def member_list(queryset: QuerySet) -> QuerySet:
    """The list/API queryset: one query for the rows and their organisation."""
    return queryset.select_related("organisation")


# For the organisation view: which national items are missing, counted set-wise in SQL.
_MISSING_Q = {
    "education": Q(education=""),
    "joined_on": Q(joined_on__isnull=True),
    "confirmed_on": Q(category=Category.FULL, confirmed_on__isnull=True),
    "post": Q(post=""),
    "phone": Q(phone_hash=""),
    "address": Q(address=""),
    "ethnicity": Q(ethnicity=""),
    "lost_contact": Q(status=MemberStatus.LOST_CONTACT, lost_contact_since__isnull=True),
    "is_mobile": Q(is_mobile=True, mobile_destination=""),
}


def completeness_for(org_or_queryset, *, limit: int = 5) -> dict:
    """Average completeness over an organisation's subtree (or a member queryset) and the items
    most often missing: {"average": 87, "members": 120, "missing": [(key, label, count), ...]}."""
    queryset = _members_of(org_or_queryset)
    aggregates = {f"missing_{key}": Count("pk", filter=q) for key, q in _MISSING_Q.items()}
    row = queryset.order_by().aggregate(average=Avg("completeness"), members=Count("pk"), **aggregates)
    labels = dict(NATIONAL_ITEMS)
    missing = [(key, labels[key], row[f"missing_{key}"]) for key in _MISSING_Q if row[f"missing_{key}"]]
    missing.sort(key=lambda item: -item[2])
    average = row["average"]
    return {
        "average": round(average) if average is not None else None,
        "members": row["members"],
        "missing": missing[:limit],
    }


CACHE_ABOVE = 20_000  # members; below this the aggregate is fast enough to be always fresh


def cached_completeness(queryset: QuerySet, *, count: int | None = None, seconds: int = 300) -> dict:
    """`completeness_for` for list pages.  Over a province it aggregates millions of rows, so for
    large sets the answer to the same (already scoped) query is reused for a few minutes; small
    sets, where a user expects to see their own edit at once, are always computed fresh."""
    count = queryset.count() if count is None else count
    if count <= CACHE_ABOVE:
        return completeness_for(queryset)
    try:
        sql = str(queryset.query)
    except EmptyResultSet:  # pragma: no cover - an empty scope never reaches this size
        return completeness_for(queryset)
    key = "members:completeness:" + hashlib.sha1(sql.encode()).hexdigest()
    return cache.get_or_set(key, lambda: completeness_for(queryset), seconds)


def _members_of(org_or_queryset) -> QuerySet:
    """Members still on the roll (not left, not deceased) of the queryset or the org's subtree."""
    if isinstance(org_or_queryset, QuerySet):
        queryset = org_or_queryset
    else:
        queryset = Member.objects.filter(org_path__startswith=org_or_queryset.path)
    return queryset.exclude(status__in=(MemberStatus.LEFT, MemberStatus.DECEASED))


def own_member_record(user):
    """The member record a member-role user sees as "my page" (dangyuan), or None."""
    return Member.objects.filter(user=user).select_related("organisation").first()

"""Reads of the member registry.  Callers pass a queryset already scoped with `.visible_to()`."""

import hashlib
import json
import re

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Avg, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Collate, StrIndex

from qiangji.core import crypto
from qiangji.core.dates import add_years
from qiangji.members.choices import ON_ROLL, Category, MemberStatus, RecordKind
from qiangji.members.models import Member, MemberStatusEvent, RewardPunishment
from qiangji.members.validation import NATIONAL_ITEMS
from qiangji.orgs.models import Organisation

_DIGITS = re.compile(r"^\d{3,17}[\dXx]$")
_LETTERS = re.compile(r"^[a-zA-Z]+$")
_PATH = re.compile(r"^[0-9A-Z]+$")


SEARCH_COUNT_CAP = 200  # a search counts its matches up to this; beyond, "more than 200" (or the estimate)


class NameGrams(Func):
    """The name's characters and adjacent pairs as text[]: the expression of the PostgreSQL GIN index
    member_search_name_grams (function qiangji_name_grams, migration members 0006)."""

    function = "qiangji_name_grams"
    template = "qiangji_name_grams((%(expressions)s)::text)"
    output_field = ArrayField(TextField())


def name_grams(text: str) -> list[str]:
    """What a name containing `text` contains for sure: its character (one) or its adjacent pairs."""
    if len(text) == 1:
        return [text]
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def _postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search_order(queryset: QuerySet) -> list:
    """The roster's order (organisation, pinyin, id); on PostgreSQL collated "C" (the same order for
    these columns), which the index member_search_path_c serves, so a page needs no sort."""
    if _postgresql(queryset):
        return [Collate(F("org_path"), "C").asc(), Collate(F("name_pinyin"), "C").asc(), "id"]
    return ["org_path", "name_pinyin", "id"]


NARROW_ORGS = 2000  # a subtree with at most this many organisations (≈ 40,000 members) is read as a range


def is_narrow(path: str | None) -> bool:
    """Whether the subtree at `path` is small enough to read as a path range (one cheap capped count)."""
    if not path:
        return False
    return (
        Organisation.objects.filter(path__startswith=path).order_by()[: NARROW_ORGS + 1].count()
        <= NARROW_ORGS
    )


def _path_range(queryset: QuerySet, path: str) -> QuerySet:
    """The subtree once more as a "C" range of org_path (paths are [0-9A-Z]): the same rows, and the
    planner's estimate of it becomes small enough that it reads the range instead of combining the
    search indexes (a branch of 39 members was estimated at 2,918 rows)."""
    upper = path[:-1] + chr(ord(path[-1]) + 1)
    return queryset.alias(org_path_c=Collate(F("org_path"), "C")).filter(
        org_path_c__gte=path, org_path_c__lt=upper
    )


def search_members(queryset: QuerySet, text: str, *, within: str | None = None) -> QuerySet:
    """Search box semantics: digits → last digits (or the full number) of an ID or phone; latin
    letters → pinyin (full or initials, with surname readings from core.pinyin); else the name
    (any part of it).  In the roster's order (organisation, pinyin).

    `within`: the path of the subtree the queryset is limited to, when the caller knows it.  On
    PostgreSQL (migration members 0006, docs/performance.md "Member search") a narrow subtree
    (≤ NARROW_ORGS organisations) is read as its path range in order; over a wide one (or an
    unknown one) a name is asked as "the name's characters and adjacent pairs include those of
    the text, and the text is in the name" — the same result, which the GIN index over the grams
    serves — and the planner chooses between walking the order and reading the matches."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return queryset
    postgresql = _postgresql(queryset)
    narrow = postgresql and _PATH.match(within or "") and is_narrow(within)
    if _DIGITS.match(text):
        queryset = queryset.filter(_number_q(text.upper()))
    elif _LETTERS.match(text):
        text = text.lower()
        queryset = queryset.filter(Q(name_initials__startswith=text) | Q(name_pinyin__startswith=text))
    elif postgresql and not narrow:
        # strpos() > 0 is `name LIKE '%text%'` that the planner does not multiply into its estimate of
        # the grams (it knows those) and evaluates first (cheap), before the grams function.
        queryset = queryset.alias(name_grams=NameGrams("name"), name_at=StrIndex("name", Value(text))).filter(
            name_grams__contains=name_grams(text), name_at__gt=0
        )
    else:
        queryset = queryset.filter(name__contains=text)
    if narrow:
        queryset = _path_range(queryset, within)
    return queryset.order_by(*search_order(queryset))


def search_page(
    queryset: QuerySet,
    text: str,
    *,
    within: str | None = None,
    limit: int = 25,
    offset: int = 0,
    cap: int = SEARCH_COUNT_CAP,
) -> tuple[int, bool, list]:
    """(number of matches, whether it is an estimate or a capped "more than", one page of members).

    What the search box needs: the page comes from an index in order (LIMIT); a short first page is
    its own count; otherwise the matches are counted up to `cap`, or, on PostgreSQL when the
    planner expects more than `cap` (say every "王" of a province), its estimate is shown as
    "about N" instead of counting them."""
    found = search_members(queryset, text, within=within)
    rows = list(found[offset : offset + limit])
    if offset == 0 and len(rows) < limit:
        return len(rows), False, rows
    unordered = found.order_by()
    if _postgresql(found):
        estimate = _estimated_rows(unordered)
        if estimate > cap:
            return estimate, True, rows
    counted = unordered[: cap + 1].count()
    return min(counted, cap), counted > cap, rows


def _estimated_rows(queryset: QuerySet) -> int:
    """The planner's row estimate for the queryset (EXPLAIN, nothing is read)."""
    plan = json.loads(queryset.values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


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
    """Members still on the roll (not left, not deceased, not transferred out of the platform on a paper
    letter) of the queryset or the org's subtree."""
    if isinstance(org_or_queryset, QuerySet):
        queryset = org_or_queryset
    else:
        queryset = Member.objects.filter(org_path__startswith=org_or_queryset.path)
    return queryset.exclude(
        status__in=(MemberStatus.LEFT, MemberStatus.DECEASED, MemberStatus.TRANSFERRED_OUT)
    )


def own_member_record(user):
    """The member record a member-role user sees as "my page" (dangyuan), or None."""
    return Member.objects.filter(user=user).select_related("organisation").first()


# --- What the organisation tree asks about its members (registered in orgs.membership by ready()) ---------


def structure_counts() -> dict:
    """Full and on-roll members per organisation, as annotations over Organisation rows."""
    return {
        "full_count": Count("members", filter=Q(members__status=MemberStatus.FULL)),
        "roll_count": Count("members", filter=Q(members__status__in=ON_ROLL)),
    }


def on_roll_count(org) -> int:
    """Members on the roll of the organisation itself (a dissolution waits until they are transferred)."""
    return org.members.filter(status__in=ON_ROLL).count()


def subtree_members(org, user) -> QuerySet:
    """The user's visible members of the organisation's subtree."""
    return Member.objects.visible_to(user).filter(org_path__startswith=org.path)


def full_members(org, user) -> QuerySet:
    """Full members of the subtree as the user sees them (《中国共产党基层组织选举工作条例》; docs/rules.md §2:
    only full members stand)."""
    return subtree_members(org, user).filter(status=MemberStatus.FULL)


def is_full_member(member) -> bool:
    return member.status == MemberStatus.FULL


def subtree_counts(user) -> dict:
    """Members on the roll, probationary and full in the user's visible subtree (one aggregate query)."""
    return Member.objects.visible_to(user).aggregate(
        members=Count("pk", filter=Q(status__in=ON_ROLL)),
        probationary=Count("pk", filter=Q(status=MemberStatus.PROBATIONARY)),
        full=Count("pk", filter=Q(status=MemberStatus.FULL)),
    )


def member_summary(org, user) -> dict:
    """Member counts by status and average completeness over the organisation's subtree, as the user sees it."""
    members = subtree_members(org, user)
    by_status = dict(members.values_list("status").annotate(n=Count("pk")).order_by())
    labels = dict(MemberStatus.choices)
    average = members.filter(status__in=ON_ROLL).aggregate(avg=Avg("completeness"))["avg"]
    return {
        "by_status": [(labels.get(status, status), count) for status, count in sorted(by_status.items())],
        "on_roll": sum(count for status, count in by_status.items() if status in ON_ROLL),
        "average_completeness": round(average, 1) if average is not None else None,
    }


def voting_roll(org, day) -> QuerySet:
    """Members of the organisation itself with voting rights on `day` (a branch general meeting, steps 15
    and 23; docs/rules.md §1, 《中国共产党发展党员工作细则》第二十二条): full members by the status history on
    that day (the latest status event on or before it; a member with no event at all by the current status),
    less any member under 留党察看 on the day (党章第四十条: no right to vote while it lasts; from the decision
    until rights are restored, else through `ends_on`, else two years — as recruitment's sponsor standing).
    Probationary members never vote."""
    status_then = (
        MemberStatusEvent.objects.filter(member=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )
    undated = Q(status_since__isnull=True) | Q(status_since__lte=day)
    in_force = (
        Q(rights_restored_on__gt=day)
        | Q(rights_restored_on__isnull=True, ends_on__gte=day)
        | Q(rights_restored_on__isnull=True, ends_on__isnull=True, decided_on__gte=add_years(day, -2))
    )
    under_probation = RewardPunishment.objects.filter(
        in_force, kind=RecordKind.PUNISHMENT, title__contains="留党察看", decided_on__lte=day
    ).values("member_id")
    queryset = Member.objects.filter(organisation_id=getattr(org, "pk", org)).annotate(
        status_then=Coalesce(Subquery(status_then), Value(""), output_field=TextField())
    )
    no_events = ~Exists(MemberStatusEvent.objects.filter(member=OuterRef("pk")))
    return (
        queryset.filter(
            Q(status_then=MemberStatus.FULL)
            | (Q(status_then="", status=MemberStatus.FULL) & no_events & undated)
        )
        .exclude(pk__in=under_probation)
        .order_by("name_pinyin", "pk")
    )

"""Organisation search for pickers: by name, part of a name, pinyin or pinyin initials, within the user's scope.

`search_organisations(user, q, action)` answers at most `limit` organisations visible to the user for
`action`, ranked: an exact name or code first, then names (or short names) starting with the text, then
names whose pinyin or initials start with it, then names containing it; shallower nodes and the tree's order
break ties.  A Chinese query is one SQL `icontains` over the scope; a latin query (pinyin) also compares the
pinyin of the names in the scope, read as (id, name, short name) tuples and cached per name, so a county
(a few hundred nodes) or a city (a few thousand) answers in milliseconds.
"""

import functools
import re

from django.db.models import Q
from django.http import Http404
from pypinyin import Style, lazy_pinyin

from qiangji.core.choices import Action
from qiangji.core.scoping import NOT_FOUND, parent_path, scope_of
from qiangji.orgs.models import Organisation
from qiangji.orgs.selectors import children_of, tree_roots

MAX_RESULTS = 20
MAX_QUERY_LENGTH = 60
LATIN = re.compile(r"^[a-z0-9' ]+$")


@functools.lru_cache(maxsize=131072)
def org_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of an organisation name, lower case, without spaces; latin/digits kept."""
    syllables = [
        s.lower() for s in lazy_pinyin(name or "", style=Style.NORMAL, errors="default") if s.strip()
    ]
    full = "".join(re.sub(r"[^a-z0-9]", "", s) for s in syllables)
    initials = "".join(s[0] for s in syllables if s and s[0].isalnum())
    return full, initials


def _rank(org_name: str, short_name: str, code: str, text: str, latin: bool) -> int | None:
    lowered = text.lower()
    if org_name == text or short_name == text or code.lower() == lowered:
        return 0
    if org_name.startswith(text) or (short_name and short_name.startswith(text)):
        return 1
    if latin:
        compact = lowered.replace(" ", "").replace("'", "")
        for name in (org_name, short_name):
            if not name:
                continue
            full, initials = org_pinyin(name)
            if full.startswith(compact) or initials.startswith(compact):
                return 2
        for name in (org_name, short_name):
            if name:
                full, initials = org_pinyin(name)
                if compact in full or (len(compact) >= 2 and compact in initials):
                    return 4
    if text in org_name or (short_name and text in short_name):
        return 3
    return None


def search_organisations(
    user,
    q: str,
    action: str = Action.VIEW,
    *,
    limit: int = MAX_RESULTS,
    active_only: bool = True,
    within=None,
    kinds=(),
    categories=(),
    everywhere: bool = False,
) -> list[Organisation]:
    """The best `limit` matches of `q` among the organisations the user may `action` (see the module doc).

    `everywhere`: any active organisation on the platform (the receiving side of a transfer or a flow, a
    member's community of residence), which a form then names by its name only; `kinds`/`categories`
    narrow to those organisation types/categories."""
    text = " ".join((q or "").split())[:MAX_QUERY_LENGTH]
    if not text:
        return []
    base = platform_organisations(user) if everywhere else Organisation.objects.visible_to(user, action)
    if active_only or everywhere:
        base = base.active()
    if within is not None:
        base = base.filter(path__startswith=within.path)
    if kinds:
        base = base.filter(kind__in=list(kinds))
    if categories:
        base = base.filter(category__in=list(categories))
    latin = bool(LATIN.match(text.lower()))
    if latin:
        rows = base.values_list("pk", "name", "short_name", "code", "depth", "path")
    else:
        rows = base.filter(
            Q(name__contains=text) | Q(short_name__contains=text) | Q(code__iexact=text)
        ).values_list("pk", "name", "short_name", "code", "depth", "path")
    ranked = []
    for pk, name, short_name, code, depth, path in rows.iterator(chunk_size=2000):
        rank = _rank(name, short_name, code, text, latin)
        if rank is not None:
            ranked.append((rank, depth, path, pk))
    ranked.sort()
    ids = [pk for *_, pk in ranked[:limit]]
    found = {org.pk: org for org in Organisation.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def platform_organisations(user):
    """Every organisation, for a signed-in user with any role (names and places of organisations are no
    secret: a transfer letter names its receiver); nobody without a role gets any."""
    if not scope_of(user).has_any_grant:
        return Organisation.objects.none()
    return Organisation.objects.all()


def platform_node(user, pk):
    """One organisation of `platform_organisations` by id; 404 for a malformed or unknown id."""
    pk = str(pk or "").strip()
    found = platform_organisations(user).filter(pk=pk).first() if pk.isdigit() and len(pk) < 19 else None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def parent_names(orgs) -> dict[str, str]:
    """Parent path -> parent name for already scoped organisations (one query): a picker shows where a node
    sits, even when the parent itself is above the user's scope (its name is no secret to its children)."""
    paths = {parent_path(org.path) for org in orgs if org.depth > 1}
    return dict(Organisation.objects.filter(path__in=paths).values_list("path", "name"))


def as_results(orgs) -> list[dict]:
    """The JSON rows a picker shows: id, name, path, kind (its label) and the parent's name."""
    parents = parent_names(orgs)
    return [
        {
            "id": org.pk,
            "name": org.name,
            "path": org.path,
            "kind": org.get_kind_display(),
            "parent_name": parents.get(parent_path(org.path), "") if org.depth > 1 else "",
        }
        for org in orgs
    ]


def picker_children(
    user, parent, action: str = Action.VIEW, *, kinds=(), everywhere: bool = False
) -> list[dict]:
    """One level of the tree picker: the children of `parent` (already read through the user's scope, or
    any organisation with `everywhere`), or the top of the tree the user sees when `parent` is None.
    `selectable` says whether the user may pick it: active, of one of `kinds` (when given) and, unless
    `everywhere`, inside the user's scope for `action` (a county clerk browsing down from a city root they
    only see may pick their county)."""
    if everywhere:
        base = platform_organisations(user).active()
        orgs = list(
            base.filter(depth=parent.depth + 1, path__startswith=parent.path)
            if parent
            else base.filter(depth=1)
        )
    else:
        orgs = list(children_of(parent, user).active() if parent is not None else tree_roots(user))
    scope = scope_of(user)
    rows = as_results(orgs)
    for row, org in zip(rows, orgs, strict=True):
        row["has_children"] = org.numchild > 0
        row["selectable"] = (
            org.is_active
            and (not kinds or org.kind in kinds)
            and (everywhere or scope.allows(action, org.path))
        )
    return rows

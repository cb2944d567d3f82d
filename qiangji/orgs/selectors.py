"""Reads about organisations: term status, structure checks (docs/rules.md §2), alerts and counts.

Everything here starts from a scoped queryset (`visible_to`) and works set-wise: one aggregate
query for a whole subtree, never a query per organisation, so a province view stays cheap.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from qiangji.core.choices import Action
from qiangji.core.dates import today as local_today
from qiangji.core.scoping import ancestor_paths, parent_path, scope_of
from qiangji.orgs import membership
from qiangji.orgs.choices import BRANCH_KINDS, Post
from qiangji.orgs.models import Committee, CommitteeMember, Grant, Organisation, StructureRule, TermRule

DEFAULT_TERM_DUE_DAYS = 90


def term_due_days() -> int:
    """Days before the term end at which the 'term due' alert starts (setting QIANGJI_TERM_DUE_DAYS)."""
    return int(getattr(settings, "QIANGJI_TERM_DUE_DAYS", DEFAULT_TERM_DUE_DAYS))


def term_rule_for(org):
    """The TermRule for the organisation's type and category (docs/rules.md §2 terms), or None (e.g. 党组)."""
    return TermRule.objects.rule_for(org.kind, org.category)


def current_committee(org):
    return (
        Committee.objects.filter(organisation=org, ended_on__isnull=True)
        .order_by("-elected_on", "-pk")
        .prefetch_related("seats")
        .first()
    )


def term_state(ends_on: datetime.date, today: datetime.date, due_days: int) -> str:
    """'overdue' after the end date, 'due' from `due_days` before it up to the end date itself, else 'ok'."""
    if today > ends_on:
        return "overdue"
    if (ends_on - today).days <= due_days:
        return "due"
    return "ok"


def term_text(state: str, ends_on: datetime.date) -> str:
    if state == "overdue":
        return f"任期已于{ends_on:%Y-%m-%d}届满，尚未换届（docs/rules.md §2 任期）"
    if state == "due":
        return f"任期将于{ends_on:%Y-%m-%d}届满，请做好换届准备（docs/rules.md §2 任期）"
    return f"任期至{ends_on:%Y-%m-%d}"


def term_status(org, today: datetime.date | None = None) -> dict | None:
    """The current committee's term: end date, days left, state and the rule's source; None without a committee."""
    committee = current_committee(org)
    if committee is None:
        return None
    today = today or local_today()
    state = term_state(committee.term_ends_on, today, term_due_days())
    rule = term_rule_for(org)
    order = {post: index for index, post in enumerate(Post.values)}
    seats = sorted(
        (seat for seat in committee.seats.all() if seat.ended_on is None),
        key=lambda seat: (order.get(seat.post, 99), seat.pk),
    )
    return {
        "committee": committee,
        "seats": seats,
        "elected_on": committee.elected_on,
        "term_years": committee.term_years,
        "ends_on": committee.term_ends_on,
        "days_left": (committee.term_ends_on - today).days,
        "state": state,
        "text": term_text(state, committee.term_ends_on),
        "source": rule.source if rule else "",
    }


def annotate_structure(queryset):
    """Per-organisation counts the structure checks need, as annotations (one query for any number of orgs)."""
    seats = CommitteeMember.objects.filter(
        committee__organisation=OuterRef("pk"), committee__ended_on__isnull=True, ended_on__isnull=True
    )
    seat_count = seats.order_by().values("committee__organisation").annotate(n=Count("pk")).values("n")
    return queryset.annotate(
        **membership.structure_counts(),
        committee_seats=Coalesce(Subquery(seat_count, output_field=IntegerField()), 0),
        has_secretary=Exists(seats.filter(post=Post.SECRETARY)),
    )


def structure_violation_q(rules: dict[str, int]) -> Q:
    """SQL form of the checks in `warnings_from_counts` so that a subtree's alerts are one filtered query."""
    return (
        Q(full_count__lt=rules[StructureRule.BRANCH_MIN_FULL_MEMBERS])
        | Q(roll_count__gt=rules[StructureRule.BRANCH_MAX_MEMBERS])
        | Q(
            full_count__gte=rules[StructureRule.COMMITTEE_FULL_MEMBERS],
            committee_seats__lt=rules[StructureRule.COMMITTEE_MIN_SEATS],
        )
        | Q(has_secretary=False)
    )


def warnings_from_counts(org, rules: dict[str, int]) -> list[str]:
    """《中国共产党支部工作条例（试行）》 (zbtl-2018; docs/rules.md §2) checks for a branch annotated by `annotate_structure`."""
    if org.kind not in BRANCH_KINDS or not org.is_active:
        return []
    found = []
    minimum = rules[StructureRule.BRANCH_MIN_FULL_MEMBERS]
    maximum = rules[StructureRule.BRANCH_MAX_MEMBERS]
    committee_at = rules[StructureRule.COMMITTEE_FULL_MEMBERS]
    if org.full_count < minimum:
        found.append(
            f"正式党员{org.full_count}人，少于{minimum}人，不宜单独成立党支部，可组建联合党支部"
            "（《中国共产党支部工作条例（试行）》，docs/rules.md §2）"
        )
    if org.roll_count > maximum:
        found.append(
            f"党员{org.roll_count}人，超过{maximum}人，宜分设党支部或成立党总支（《中国共产党支部工作条例（试行）》，docs/rules.md §2）"
        )
    seats_needed = rules[StructureRule.COMMITTEE_MIN_SEATS]
    if org.full_count >= committee_at and org.committee_seats < seats_needed:
        found.append(
            f"正式党员{org.full_count}人（{committee_at}人以上），应设立由{seats_needed}人以上组成的"
            "支部委员会（《中国共产党支部工作条例（试行）》，docs/rules.md §2）"
        )
    if not org.has_secretary:
        found.append("书记职务空缺，请及时配备（docs/rules.md §2、§6）")
    return found


def structure_warnings(org) -> list[str]:
    """Warnings for one organisation (the caller has read `org` through its scope)."""
    if org.kind not in BRANCH_KINDS or not org.is_active:
        return []
    annotated = annotate_structure(Organisation.objects.filter(pk=org.pk)).get()
    return warnings_from_counts(annotated, StructureRule.values())


def _term_alerts(user, today, limit) -> list[dict]:
    due_days = term_due_days()
    committees = (
        Committee.objects.visible_to(user, Action.CHANGE)
        .filter(
            ended_on__isnull=True,
            organisation__dissolved_on__isnull=True,
            term_ends_on__lte=today + datetime.timedelta(days=due_days),
        )
        .select_related("organisation")
        .order_by("term_ends_on", "pk")[:limit]
    )
    alerts = []
    for committee in committees:
        state = term_state(committee.term_ends_on, today, due_days)
        alerts.append(
            _alert(
                "danger" if state == "overdue" else "warning",
                committee.organisation,
                term_text(state, committee.term_ends_on),
            )
        )
    return alerts


def _structure_alerts(user, limit) -> list[dict]:
    rules = StructureRule.values()
    if len(rules) < 5:
        return []
    branches = (
        annotate_structure(
            Organisation.objects.visible_to(user, Action.CHANGE).active().filter(kind__in=BRANCH_KINDS)
        )
        .filter(structure_violation_q(rules))
        .order_by("path")[:limit]
    )
    return [_alert("warning", org, text) for org in branches for text in warnings_from_counts(org, rules)]


def _alert(level: str, org, text: str) -> dict:
    return {
        "level": level,
        "org": org,
        "text": f"{org.name}：{text}",
        "url": reverse("orgs:detail", args=[org.pk]),
    }


def alerts_for(user, limit: int = 20, today: datetime.date | None = None) -> list[dict]:
    """Term-due/overdue and structure alerts over the user's manageable subtree, most urgent first."""
    today = today or local_today()
    alerts = _term_alerts(user, today, limit) + _structure_alerts(user, limit)
    alerts.sort(key=lambda alert: alert["level"] != "danger")
    return alerts[:limit]


def subtree_counts(user) -> dict:
    """Organisations, branches and members on the roll in the user's visible subtree (two aggregate queries)."""
    orgs = (
        Organisation.objects.visible_to(user)
        .active()
        .aggregate(
            organisations=Count("pk"),
            branches=Count("pk", filter=Q(kind__in=BRANCH_KINDS)),
        )
    )
    members = membership.subtree_counts(user)
    return {**orgs, **members}


def member_summary(org, user) -> dict:
    """Member counts by status and average completeness over the organisation's subtree, as the user sees it."""
    return membership.member_summary(org, user)


def tree_roots(user):
    """The top nodes of what the user may see: their granted nodes (nested ones folded away)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Organisation.objects.filter(depth=1)
    paths = scope.paths_for(Action.VIEW) + scope.member_org_paths()
    folded = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    return Organisation.objects.visible_to(user).filter(path__in=folded)


def may_restructure(user, org) -> bool:
    """Moving, merging or dissolving a node is decided one level up: MANAGE_TREE over a subtree strictly above it."""
    return scope_of(user).allows_above(Action.MANAGE_TREE, org.path)


def children_of(org, user):
    return Organisation.objects.visible_to(user).filter(depth=org.depth + 1, path__startswith=org.path)


def breadcrumbs(org, user) -> list:
    """Visible ancestors, root first, then the organisation itself."""
    return list(
        Organisation.objects.visible_to(user).filter(path__in=ancestor_paths(org.path)).order_by("depth")
    ) + [org]


def grants_at(org, user):
    """The grants held at `org` itself, as a manager of the tree sees them (role, then user name)."""
    return (
        Grant.objects.visible_to(user, Action.MANAGE_TREE)
        .filter(organisation=org)
        .select_related("user")
        .order_by("role", "user__username")
    )


def parent_ids(orgs) -> dict[str, int]:
    """Parent path -> parent id for already scoped organisations, in one query (a parent outside the
    user's scope is still named by its id, as the API has always done)."""
    paths = {parent_path(org.path) for org in orgs if org.depth > 1}
    return dict(Organisation.objects.filter(path__in=paths).values_list("path", "pk"))


def active_user_named(username: str):
    """The active account with this user name (a grant names its holder), or None."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=(username or "").strip(), is_active=True).first()


def active_organisations():
    """Organisations not dissolved (a base the caller narrows with `visible_to` / get_in_scope_or_404)."""
    return Organisation.objects.get_queryset().active()

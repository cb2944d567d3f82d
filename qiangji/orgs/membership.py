"""The members on the tree, as the organisation app needs them.

The members app sits above orgs (it imports the tree; the tree never imports it), so it registers these
readers in its `AppConfig.ready()` (`membership.register(...)`).  The structure checks, the committee
seats, the subtree counts and a dissolution's on-roll check ask here.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

READERS = (
    "structure_counts",  # () -> {"full_count": expression, "roll_count": expression} over Organisation rows
    "on_roll_count",  # (org) -> members on the roll of the organisation itself
    "subtree_members",  # (org, user) -> the user's visible members of the organisation's subtree
    "full_members",  # (org, user) -> the same, full members only (who may stand for a committee seat)
    "is_full_member",  # (member) -> bool
    "subtree_counts",  # (user) -> {"members", "probationary", "full"} over the user's visible members
    "member_summary",  # (org, user) -> counts by status and average completeness of the subtree
)
_readers: dict[str, Callable] = {}


def register(**readers: Callable) -> None:
    unknown = set(readers) - set(READERS)
    if unknown:
        raise ImproperlyConfigured(f"orgs.membership: unknown readers {sorted(unknown)}")
    _readers.update(readers)


def _reader(name: str) -> Callable:
    try:
        return _readers[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"orgs.membership: no reader {name!r} (the members app registers them in ready())"
        )


def structure_counts() -> dict:
    return _reader("structure_counts")()


def on_roll_count(org) -> int:
    return _reader("on_roll_count")(org)


def subtree_members(org, user):
    return _reader("subtree_members")(org, user)


def full_members(org, user):
    return _reader("full_members")(org, user)


def is_full_member(member) -> bool:
    return _reader("is_full_member")(member)


def subtree_counts(user) -> dict:
    return _reader("subtree_counts")(user)


def member_summary(org, user) -> dict:
    return _reader("member_summary")(org, user)

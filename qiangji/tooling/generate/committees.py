"""Committees (委员会) and their seats, with terms by organisation type (docs/rules.md §2 'terms') and
a few terms already past their end so that the term alerts have something real to show."""

import datetime
import random

from qiangji.core.dates import add_years
from qiangji.tooling.generate.tree import OrgSpec

ELECTED_KINDS = {"committee", "general_branch", "branch", "joint_branch", "mobile_branch"}
OVERDUE_SHARE = 0.06


def term_years(org: OrgSpec) -> int:
    """Primary committees 5 years; general branches and branches 3; village and community ones 5."""
    if org.kind == "committee" or org.category in {"rural", "community"}:
        return 5
    return 3


def seats_for(full_members: int) -> list[str]:
    """≥ 7 full members: a committee of 3–5; fewer: a secretary, perhaps a deputy (docs/rules.md §2)."""
    if full_members >= 7:
        return ["secretary", "deputy_secretary", "organisation", "publicity", "discipline"]
    if full_members >= 3:
        return ["secretary", "deputy_secretary"]
    return ["secretary"] if full_members else []


def committee_rows(
    rng: random.Random, org: OrgSpec, members: list[tuple[int, dict]], as_of: datetime.date, committee_id: int
) -> tuple[dict | None, list[dict]]:
    """One current committee for `org` and its seats; `members` are (id, row) of the org's own members."""
    if org.kind not in ELECTED_KINDS:
        return None, []
    years = term_years(org)
    if rng.random() < OVERDUE_SHARE:
        ends = as_of - datetime.timedelta(days=rng.randint(10, 400))
        elected = add_years(ends, -years)
    else:
        elected = as_of - datetime.timedelta(days=rng.randint(30, years * 365 - 60))
        ends = add_years(elected, years)
    committee = {
        "id": committee_id,
        "organisation_id": org.id,
        "org_path": org.path,
        "elected_on": elected,
        "term_years": years,
        "term_ends_on": ends,
        "ended_on": None,
        "note": "",
    }
    full = [(pk, row) for pk, row in members if row["status"] == "full"]
    posts = seats_for(len(full)) if org.is_leaf else seats_for(7)[: rng.randint(3, 5)]
    if org.is_leaf and len(posts) == 5:
        posts = posts[: rng.randint(3, 5)]
    seats = []
    picks = rng.sample(full, min(len(posts), len(full))) if full else []
    for index, post in enumerate(posts):
        member_id, name = (picks[index][0], picks[index][1]["name"]) if index < len(picks) else (None, "")
        if not name:
            name = _outside_name(rng)
        seats.append(
            {
                "committee_id": committee_id,
                "org_path": org.path,
                "member_id": member_id,
                "name": name,
                "post": post,
                "started_on": elected,
                "ended_on": None,
            }
        )
    return committee, seats


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "建国志强海涛俊杰文华红梅秀英明辉立新卫东永刚玉兰国庆伟"


def _outside_name(rng: random.Random) -> str:
    """Committee members of a 党委 sit in its branches' rolls, not its own; a name is enough here."""
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2))

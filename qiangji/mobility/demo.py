"""Demo history of the mobility app (registered with the generator, `qiangji generate`): mobile members
out and in, returned flows and transfers (docs/rules.md §5), consistent with `Member.is_mobile`.

- Every member flagged mobile (`is_mobile`, with `mobile_destination`) gets a flow registration,
  except about one in ten: registered nowhere, the "unaccounted for" exception.  A destination that
  is a county of the generated tree gets an inflow branch there (80 % accepted, the rest pending),
  and the member then attends that branch's general meetings as a guest; a destination outside the
  tree stays an outflow waiting for an inflow organisation.
- About a third of lost-contact members left with a registration and were never reached again.
- About 1 % of the other members have a finished (returned) flow, 0.5 % arrived by an internal
  transfer (accepted, most receipts back), and a few letters are in transit, some past their validity.
  Letter numbers follow the county's yearly sequence (`NumberSequence`, kind "letter").
"""

import datetime
import re

from django.conf import settings

from qiangji.core.dates import add_months
from qiangji.members.models import Member
from qiangji.mobility.models import MobileFlow, NumberSequence, Transfer
from qiangji.orgs.models import Organisation
from qiangji.tooling.generate.history import BRANCHES, Context, County, Org, register

UNREGISTERED_SHARE = 0.10
D = datetime.timedelta
EMPLOYERS = (
    "美团外卖",
    "饿了么",
    "滴滴出行",
    "顺丰速运",
    "京东物流",
    "中通快递",
    "满帮货运",
    "建筑工地",
    "电子厂",
    "服装厂",
)


def split_destination(text: str) -> tuple[str, str, str]:
    """'江苏省苏州市昆山市' → ('江苏省', '苏州市', '昆山市'); '北京市朝阳区' → ('北京市', '', '朝阳区')."""
    match = re.match(r"^(.+?(?:省|自治区))?(.+?市)?(.+?(?:区|县|市|旗))?$", text or "")
    if not match:
        return text[:30], "", ""
    province, city, county = (part or "" for part in match.groups())
    if not province:  # a municipality: 北京市朝阳区
        province, city = city, ""
    return province[:30], city[:30], county[:30]


class Destinations:
    """Counties of the generated tree by name, and their branches (read once per destination)."""

    def __init__(self, root: Org):
        self.root = root
        self.counties = {
            o.name: o
            for o in Organisation.objects.filter(path__startswith=root.path, depth=3).only(
                "id", "path", "name"
            )
        }
        self.branches: dict[str, list[tuple[int, str, str]]] = {}

    def inflow_branches(self, province: str, county: str) -> list[tuple[int, str, str]]:
        if not county or province not in self.root.name:
            return []
        org = self.counties.get(f"中共{county}委员会")
        if org is None:
            return []
        if org.path not in self.branches:
            self.branches[org.path] = list(
                Organisation.objects.filter(
                    path__startswith=org.path, kind__in=BRANCHES, dissolved_on__isnull=True
                )
                .order_by("path")
                .values_list("id", "path", "kind")
            )
        return self.branches[org.path]


def plan_flows(ctx: Context, counties, progress) -> dict:
    """Every mobile member's flow, decided before the counties are written so that the inflow
    branch (perhaps in a county written earlier or later) knows its guests."""
    rng = ctx.rng("flows", "mobility")
    places = Destinations(ctx.root)
    by_member, inbound = {}, {}
    rows = (
        Member._base_manager.filter(org_path__startswith=ctx.root.path)
        .filter(is_mobile=True)
        .order_by("id")
        .values_list("id", "organisation_id", "org_path", "mobile_destination", "joined_on", "post")
        .iterator(chunk_size=5000)
    )
    for member_id, org_id, path, destination, joined, post in rows:
        if rng.random() < UNREGISTERED_SHARE:
            continue
        province, city, county = split_destination(destination)
        left = max(ctx.as_of - D(rng.randint(190, 1100)), joined + D(30))
        if left > ctx.as_of:
            continue
        flow = {
            "member_id": member_id,
            "org_path": path,
            "out_org_id": org_id,
            "province": province or "（未填写）",
            "city": city,
            "county": county,
            "reason": "new_employment" if post == "0510" else "work",
            "employer": rng.choice(EMPLOYERS[:7] if post == "0510" else EMPLOYERS),
            "left_on": left,
            "in_org_id": None,
            "other_path": "",
            "status": "outflow",
            "accepted_on": None,
        }
        # An inflow branch in another county of the tree (never the member's own county or branch).
        branches = [b for b in places.inflow_branches(province, county) if b[1][:12] != path[:12]]
        if branches:
            mobile = [b for b in branches if b[2] == "mobile_branch"]
            in_id, in_path, _kind = rng.choice(mobile if mobile and rng.random() < 0.5 else branches)
            flow.update(in_org_id=in_id, other_path=in_path, status="pending")
            if rng.random() < 0.8:
                accepted = left + D(rng.randint(5, 60))
                if accepted <= ctx.as_of:
                    flow.update(status="active", accepted_on=accepted)
                    inbound.setdefault(in_id, []).append((member_id, org_id, path, accepted))
        by_member[member_id] = flow
    progress(
        f"  流动党员：{len(by_member)} 人已登记外出，其中 {sum(len(v) for v in inbound.values())} 人已被省内流入地接收"
    )
    return {"by_member": by_member, "inbound": inbound}


def setup(ctx: Context, counties, progress) -> None:
    """The flows of the whole run, shared with the life part (`ctx.extra["flows"]`)."""
    ctx.extra["flows"] = plan_flows(ctx, counties, progress)


def county(ctx: Context, county: County) -> None:
    flows = ctx.extra["flows"]
    rng = ctx.rng(county.code, "mobility")
    as_of = ctx.as_of
    rows, transfers = [], []
    by_id = {org.id: org for org in county.orgs}
    branches = county.branches
    sequence = _Sequence(county.code)
    for member in county.members:
        flow = flows["by_member"].get(member["id"])
        if flow is not None:
            rows.append(_flow_row(rng, member, flow, as_of))
            continue
        roll = rng.random()
        if member["status"] == "lost_contact" and member["lost_contact_since"] and roll < 0.35:
            left = member["lost_contact_since"] - D(rng.randint(60, 400))
            if left > member["joined_on"]:
                rows.append(
                    _flow_row(
                        rng,
                        member,
                        {
                            "province": "广东省",
                            "city": "深圳市",
                            "county": "",
                            "reason": "work",
                            "employer": "",
                            "left_on": left,
                            "in_org_id": None,
                            "other_path": "",
                            "status": "outflow",
                            "accepted_on": None,
                            "out_org_id": member["organisation_id"],
                            "org_path": member["org_path"],
                            "note": f"{member['lost_contact_since']:%Y年%m月}起联系不上",
                        },
                        as_of,
                    )
                )
        elif member["status"] == "full" and not member["is_mobile"] and roll < 0.01:
            left = as_of - D(rng.randint(500, 1000))
            if left > member["joined_on"]:
                returned = min(left + D(rng.randint(190, 450)), as_of - D(10))
                row = _flow_row(
                    rng,
                    member,
                    {
                        "province": "江苏省",
                        "city": "苏州市",
                        "county": "昆山市",
                        "reason": "work",
                        "employer": "电子厂",
                        "left_on": left,
                        "in_org_id": None,
                        "other_path": "",
                        "status": "returned",
                        "accepted_on": None,
                        "out_org_id": member["organisation_id"],
                        "org_path": member["org_path"],
                    },
                    as_of,
                )
                row["returned_on"] = returned
                rows.append(row)
        elif member["status"] == "full" and len(branches) > 1 and roll < 0.0155:
            transfers.append(_transfer(rng, county, member, by_id, branches, sequence, as_of, roll >= 0.015))
    ctx.write(MobileFlow, rows, "mobile_flows")
    ctx.write(Transfer, [t for t in transfers if t], "transfers")
    sequence.save()


def _flow_row(rng, member: dict, flow: dict, as_of: datetime.date) -> dict:
    left = flow["left_on"]
    return {
        "member_id": member["id"],
        "org_path": member["org_path"],
        "out_org_id": flow["out_org_id"],
        "in_org_id": flow["in_org_id"],
        "other_path": flow["other_path"],
        "status": flow["status"],
        "province": flow["province"],
        "city": flow["city"],
        "county": flow["county"],
        "employer": flow["employer"],
        "place": "",
        "reason": flow["reason"],
        "left_on": left,
        "expected_return_on": add_months(left, rng.choice((12, 24, 36))) if rng.random() < 0.6 else None,
        "contact_phone_encrypted": member["phone_encrypted"],
        "contact_phone_suffix": member["phone_suffix"],
        "self_registered": rng.random() < 0.4,
        "accepted_on": flow["accepted_on"],
        "returned_on": None,
        "note": flow.get("note", ""),
    }


class _Sequence:
    """The county's letter numbers by year, continuing any numbers already issued."""

    def __init__(self, region: str):
        self.region = region
        self.last = dict(
            NumberSequence.objects.filter(kind="letter", region_code=region).values_list("year", "last")
        )
        self.touched: set[int] = set()

    def next(self, year: int) -> str:
        self.last[year] = self.last.get(year, 0) + 1
        self.touched.add(year)
        return f"ZJ{self.region}{year}{self.last[year]:05d}"

    def save(self) -> None:
        for year in sorted(self.touched):
            NumberSequence.objects.update_or_create(
                kind="letter", region_code=self.region, year=year, defaults={"last": self.last[year]}
            )


def _transfer(
    rng,
    county: County,
    member: dict,
    by_id: dict,
    branches: list[Org],
    sequence: _Sequence,
    as_of: datetime.date,
    in_transit: bool,
) -> dict | None:
    """An accepted letter that brought the member to their branch, or one still in transit from it."""
    home = by_id[member["organisation_id"]]
    other = rng.choice(branches)
    if other.id == home.id:
        return None
    valid = settings.QIANGJI_LETTER_VALID_DAYS
    if in_transit:
        sender, receiver, branch = home, other.approver or county.org, None
        issued = as_of - D(rng.randint(5, 150))
    else:
        sender, receiver, branch = other, home.approver or county.org, home
        issued = max(as_of - D(rng.randint(40, 700)), member["joined_on"] + D(30))
        if issued > as_of - D(30):
            return None
    row = {
        "number": sequence.next(issued.year),
        "kind": "internal",
        "member_id": member["id"],
        "member_name": member["name"],
        "from_org_id": sender.id,
        "from_org_name": sender.name,
        "org_path": sender.path,
        "to_org_id": receiver.id,
        "to_org_name": receiver.name,
        "other_path": receiver.path,
        "to_branch_id": branch.id if branch else None,
        "reason": "工作调动" if rng.random() < 0.6 else "居住地变更",
        "dues_paid_to": add_months(issued.replace(day=1), -1),
        "issued_on": issued,
        "valid_days": valid,
        "expires_on": issued + D(valid),
        "receipt_due_on": None,
        "accepted_on": None,
        "returned_on": None,
        "return_reason": "",
        "receipt_returned_on": None,
        "status": "in_transit",
    }
    if not in_transit:
        accepted = issued + D(rng.randint(3, 20))
        row.update(accepted_on=accepted, receipt_due_on=add_months(accepted, 1), status="accepted")
        if rng.random() < 0.7:
            row.update(receipt_returned_on=accepted + D(rng.randint(3, 25)), status="receipt_returned")
    return row


register("mobility", order=20, setup=setup, county=county)

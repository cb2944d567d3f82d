"""Demo history of the request desk (registered with the generator: `qiangji demo`, `qiangji generate
--history`, the province scale too): compounds for the community branches, service stations at the
streets, a year of requests with their history, claims and ratings, and 由邻评事 ratings.

About 2 million requests a year at province scale (~14,700 per county; the county demo about 40 a
compound): most closed and rated, about one in five escalated once or more up the tree, the last
weeks still open (some overdue, some waiting on the requester)."""

import datetime
import secrets

from django.utils import timezone

from qiangji.core import crypto
from qiangji.core.scoping import PATH_STEP
from qiangji.service.choices import EventKind, Phase, Rating, Status, Tier
from qiangji.service.models import (
    Category,
    NeighbourRating,
    Place,
    Request,
    RequestEvent,
    ServiceStation,
    WorkRecord,
)
from qiangji.tooling.generate.history import Context, County, register

REQUESTS_PER_COUNTY_YEAR = 14_700
D = datetime.timedelta
PROBLEMS = {
    "emergency": ["楼道起火冒烟", "老人摔倒需要帮助", "电梯困人"],
    "utilities": ["停水两天", "暖气不热", "燃气表故障", "小区停电"],
    "general": ["路灯不亮", "垃圾清运不及时", "楼道堆放杂物", "井盖松动", "噪音扰民"],
    "complex": ["小区停车难", "高空抛物", "老旧小区加装电梯", "物业费纠纷"],
    "hotline": ["12345转办：道路破损", "12345转办：违章搭建"],
    "enquiry": ["咨询社保办理", "咨询入学政策"],
    "complaint": ["投诉商铺占道经营", "建议增设公交站"],
    "rider_help": ["小区不让外卖车进入", "电动车充电难"],
    "driver_help": ["服务区夜间车货被盗", "货车通行证办理"],
    "parking": ["火车站临时停车难", "机场接客停车收费"],
    "platform_fee": ["平台抽成比例不透明", "会员费过高"],
}
NEXT = {Tier.COMPOUND: Tier.COMMUNITY, Tier.COMMUNITY: Tier.STREET, Tier.STREET: Tier.DISTRICT}


def setup(ctx: Context, counties, progress) -> None:
    ctx.extra["service_categories"] = {c.code: c for c in Category.objects.all()}
    phones = [f"139{n:08d}" for n in range(0, 200)]
    ctx.extra["service_phones"] = [(p, crypto.encrypt(p), crypto.blind_index(p)) for p in phones]


def _aware(day: datetime.date, rng) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


def county(ctx: Context, county: County) -> None:
    rng = ctx.rng(county.code, "service")
    categories = ctx.extra["service_categories"]
    phones = ctx.extra["service_phones"]
    if not categories:
        return
    by_path = {org.path: org for org in county.orgs}
    community_branches = [o for o in county.branches if o.category == "community"] or county.branches
    if not community_branches:
        return
    now = timezone.now()
    # compounds: one per community branch (up to 400 a county)
    first_place = ctx.take_ids(Place, min(len(community_branches), 400))
    places = []
    for offset, branch in enumerate(community_branches[:400]):
        parent = by_path.get(branch.path[:-PATH_STEP])
        places.append(
            {
                "id": first_place + offset,
                "kind": "compound",
                "name": f"{(branch.unit_name or branch.name)[:20]}小区",
                "organisation_id": branch.id,
                "community_id": parent.id if parent else None,
                "address": "",
                "latitude": None,
                "longitude": None,
                "boundary": [],
                "property_company": rng.choice(["安居物业", "万家物业", "社区自管", "红心物业"]),
                "is_active": True,
                "org_path": branch.path,
                "region_code": branch.region_code,
                "created_at": now,
                "updated_at": now,
            }
        )
    ctx.write(Place, places, "service_places")
    streets = [o for o in county.orgs if o.category == "community" and o.kind == "working_committee"][:20]
    stations = []
    for street in streets or [county.org]:
        for kind, label, services_text in (
            ("station", "服务驿站", "饮水、充电、休息、避暑取暖"),
            ("canteen", "小哥食堂", "工作餐优惠"),
            ("driver_home", "司机之家", "休息、淋浴、诉求收集"),
        ):
            stations.append(
                {
                    "kind": kind,
                    "name": f"{street.name[:12]}{label}",
                    "organisation_id": street.id,
                    "address": street.name[:50],
                    "latitude": None,
                    "longitude": None,
                    "hours": "8:00-22:00",
                    "services": services_text,
                    "phone": "",
                    "is_active": True,
                    "org_path": street.path,
                    "region_code": street.region_code,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    ctx.write(ServiceStation, stations, "service_stations")

    count = REQUESTS_PER_COUNTY_YEAR
    if ctx.scale != "province":  # the county demo: about 40 a compound, at most the province's figure
        count = min(count, 40 * len(places))
    first_id = ctx.take_ids(Request, count)
    requests, events, work = [], [], []
    codes = list(categories)
    for offset in range(count):
        pk = first_id + offset
        category = categories[rng.choice(codes)]
        place = rng.choice(places)
        branch = by_path.get(place["org_path"])
        day = ctx.as_of - D(days=int(365 * (rng.random() ** 1.3)))
        received = _aware(day, rng)
        phone, phone_enc, phone_hash = rng.choice(phones)
        rows = [(received, EventKind.RECEIVED, "网上提交", Tier.COMPOUND, branch.name)]
        rows.append(
            (received, EventKind.ROUTED, f"派至{branch.name}（小区/网格）", Tier.COMPOUND, branch.name)
        )
        tier, current = Tier.COMPOUND, branch
        at = received
        climbs = 0 if rng.random() < 0.8 else rng.choice([1, 1, 2, 3])
        for _ in range(climbs):
            parent = by_path.get(current.path[:-PATH_STEP])
            if parent is None or tier not in NEXT:
                break
            at = at + D(hours=rng.randint(3, 120))
            tier, current = NEXT[tier], parent
            rows.append(
                (at, EventKind.ESCALATED, f"本级办理期限已过，自动上报至{parent.name}", tier, parent.name)
            )
        age = (ctx.as_of - day).days
        limit = (
            D(hours=category.limit_value) if category.limit_unit == "hours" else D(days=category.limit_value)
        )
        status, phase, outcome, rating = Status.CLOSED, Phase.CLOSED, "", ""
        responded = answered = closed = None
        on_time = None
        if age < 10 and rng.random() < 0.6:
            status, phase = (
                Status.OPEN,
                rng.choice([Phase.PENDING, Phase.IN_PROGRESS, Phase.IN_PROGRESS, Phase.WAITING]),
            )
        if phase != Phase.PENDING:
            responded = at + D(hours=rng.randint(1, 30))
            rows.append((responded, EventKind.CLAIMED, f"{current.name}认领", tier, current.name))
            work.append(_work(pk, current, "claim", responded))
        if status == Status.CLOSED:
            answered = responded + D(hours=rng.randint(2, 200))
            on_time = answered <= received + limit * (1 + climbs)
            rows.append(
                (
                    answered,
                    EventKind.ANSWERED,
                    f"{current.name}办理，{branch.name}答复：已处理",
                    tier,
                    current.name,
                )
            )
            work.append(_work(pk, current, "answer", answered))
            closed = answered + D(hours=rng.randint(1, 100))
            roll = rng.random()
            if roll < 0.12:
                rating = Rating.UNRATED
                rows.append((closed, EventKind.UNRATED, "答复后7天内诉求人未评价，按“未评价”办结", tier, ""))
            else:
                outcome = "solved" if roll < 0.8 else ("partly" if roll < 0.93 else "unsolved")
                rating = "satisfied" if roll < 0.7 else ("basic" if roll < 0.9 else "unsatisfied")
                rows.append((closed, EventKind.CONFIRMED, f"诉求人评价：{outcome}/{rating}", tier, ""))
        due = at + limit
        requests.append(
            {
                "id": pk,
                "number": f"JS{day:%y%m%d}{secrets.token_hex(4).upper()}",
                "token": secrets.token_hex(16),
                "access_key": secrets.token_urlsafe(18)[:24],
                "query_code_digest": "",
                "category_id": category.pk,
                "audience": "resident"
                if category.first_tier != "industry"
                else rng.choice(["rider", "driver"]),
                "channel": rng.choice(["web", "web", "onetap", "behalf"]),
                "description": rng.choice(PROBLEMS.get(category.code, ["其他问题"])),
                "address": place["name"],
                "latitude": None,
                "longitude": None,
                "place_id": place["id"],
                "photo": "",
                "requester_name": "",
                "phone_encrypted": phone_enc,
                "phone_hash": phone_hash,
                "phone_suffix": phone[-4:],
                "submitted_by_id": None,
                "status": status,
                "phase": phase,
                "tier": tier,
                "first_org_id": branch.id,
                "current_org_id": current.id,
                "current_path": current.path,
                "assigned_at": at,
                "due_at": due,
                "final_due_at": received + limit,
                "paused_at": at + D(hours=2) if phase == Phase.WAITING else None,
                "paused_seconds": 0,
                "responded_at": responded,
                "last_progress_at": answered or responded,
                "answered_at": answered,
                "closed_at": closed,
                "escalations": climbs,
                "escalated_at": None,
                "sweep_mark": None,
                "reopened": 0,
                "claimed_member_id": None,
                "claimed_org_id": current.id if responded else None,
                "answer": "已处理" if answered else "",
                "outcome": outcome,
                "rating": rating,
                "rating_comment": "",
                "on_time": on_time,
                "duplicate_of_id": None,
                "org_path": branch.path,
                "region_code": branch.region_code,
                "created_at": received,
                "updated_at": closed or at,
            }
        )
        for when, kind, text, row_tier, org_name in rows:
            events.append(
                {
                    "request_id": pk,
                    "at": when,
                    "kind": kind,
                    "phase": phase,
                    "tier": row_tier,
                    "org_name": org_name[:200],
                    "actor_name": "系统",
                    "text": text,
                }
            )
    ctx.write(Request, requests, "service_requests")
    ctx.write(RequestEvent, events, "service_request_events")
    ctx.write(WorkRecord, work, "service_work_records")
    ratings = []
    for place in places:
        for month in range(12):
            for target in ("property", "committee"):
                if rng.random() < 0.5:
                    day = ctx.as_of - D(days=30 * month + rng.randint(0, 27))
                    ratings.append(
                        {
                            "place_id": place["id"],
                            "target": target,
                            "occasion": rng.choice(["instant", "onsite"]),
                            "score": rng.choice([3, 4, 4, 5, 5, 2]),
                            "comment": "",
                            "phone_hash": "",
                            "rated_on": day,
                            "org_path": place["org_path"],
                            "region_code": place["region_code"],
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
    ctx.write(NeighbourRating, ratings, "service_neighbour_ratings")


def _work(request_id: int, org, kind: str, at) -> dict:
    return {
        "request_id": request_id,
        "organisation_id": org.id,
        "member_id": None,
        "kind": kind,
        "text": "",
        "actor_id": None,
        "org_path": org.path,
        "region_code": org.region_code,
        "created_at": at,
        "updated_at": at,
    }


register(
    "service",
    order=60,
    setup=setup,
    county=county,
    tables={"接诉即办诉求": (Request, "org_path")},
)

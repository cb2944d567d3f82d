"""Intake: the public form (phone confirmed by an SMS code), one-tap help, intake on someone's behalf, Open311.

Every channel ends in `submit()`: it validates everything first (category, text, phone, place, photo, flood
limits), then writes the request, its first history line and the audit entry in one transaction."""

import datetime
import math
import secrets
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit, crypto, sms
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.core.uploads import check_image
from qiangji.core.validators import normalise_phone
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.service.choices import Audience, Channel, EventKind, Phase, PlaceKind, Tier
from qiangji.service.models import Category, Place, Request
from qiangji.service.services import base

CODE_PURPOSE = "service.intake"
LINK_SALT = "service.request.link"


def active_category(value) -> Category:
    """A category by its code (Open311 service_code), its id or the row itself; refused when inactive."""
    rows = Category.objects.filter(is_active=True)
    if isinstance(value, Category):
        found = rows.filter(pk=value.pk).first()
    elif isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) < 10):
        found = rows.filter(pk=int(value)).first()
    else:
        found = rows.filter(code=str(value or "")[:40]).first()
    if found is None:
        raise ValidationError({"category": "请选择诉求类别"})
    return found


def phone_or_error(value, field: str = "phone") -> str:
    try:
        phone = normalise_phone(value or "")
    except ValidationError as error:
        raise ValidationError({field: error.messages})
    if not phone:
        raise ValidationError({field: "请填写手机号"})
    if len(phone) != 11:
        raise ValidationError({field: "请填写11位手机号（用于接收验证码和办理结果）"})
    return phone


def request_code(*, phone: str, client: str = "") -> None:
    """Send a confirmation code to the requester's phone (the demo prints it); flood-limited per number
    and per address."""
    phone = phone_or_error(phone)
    base.limit("code.phone", crypto.blind_index(phone), base.CODE_RATE, "phone")
    base.limit("code.client", client, "20/h", "phone")
    try:
        sms.send_code(phone, CODE_PURPOSE)
    except sms.SmsUnavailable as error:
        raise ValidationError({"phone": str(error)})


def _decimal(value, field: str, low: float, high: float) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "坐标格式不正确"})
    if not number.is_finite() or not (low <= float(number) <= high):
        raise ValidationError({field: "位置不在本平台服务范围内"})
    return number


def check_photo(photo, max_kb: int):
    """An optional photo: an image by its content, JPEG/PNG/WebP, at most `max_kb` KB (core.uploads)."""
    if not photo:
        return None
    return check_image(photo, field="photo", max_bytes=max_kb * 1024)


def _inside(boundary, lat: float, lng: float) -> bool:
    """Ray casting over [[lat, lng], …]."""
    inside = False
    points = [(float(p[0]), float(p[1])) for p in boundary if isinstance(p, list | tuple) and len(p) == 2]
    if len(points) < 3:
        return False
    j = len(points) - 1
    for i, (yi, xi) in enumerate(points):
        yj, xj = points[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def grid_at(lat: Decimal | None, lng: Decimal | None) -> Place | None:
    """The grid whose stored boundary holds the coordinate (a bounding box narrows the candidates in SQL)."""
    if lat is None or lng is None:
        return None
    span = Decimal("0.05")
    candidates = Place.objects.filter(
        kind=PlaceKind.GRID,
        is_active=True,
        latitude__gte=lat - span,
        latitude__lte=lat + span,
        longitude__gte=lng - span,
        longitude__lte=lng + span,
    ).exclude(boundary=[])
    for place in candidates[:200]:
        if _inside(place.boundary, float(lat), float(lng)):
            return place
    return None


def route(*, category: Category, audience: str, place, community, industry, lat, lng):
    """(first unit, tier, place): the compound/grid branch of the place, else the grid holding the
    coordinate, else the community; a rider's or driver's request may go to an industry Party committee."""
    if industry:
        org = Organisation.objects.filter(
            pk=getattr(industry, "pk", industry), kind="industry_committee", dissolved_on__isnull=True
        ).first()
        if org is None:
            raise ValidationError({"industry": "所选行业党委不存在"})
        if audience == Audience.RESIDENT:
            raise ValidationError({"industry": "居民诉求按所在小区、社区办理，不转行业党委"})
        return org, Tier.INDUSTRY, None
    if place:
        rows = Place.objects.filter(pk=getattr(place, "pk", place), is_active=True)
        found = rows.select_related("organisation").first()
        if found is None:
            raise ValidationError({"place": "所选小区/网格不存在"})
        return found.organisation, Tier.COMPOUND, found
    grid = grid_at(lat, lng)
    if grid is not None:
        return grid.organisation, Tier.COMPOUND, grid
    if community:
        org = Organisation.objects.filter(
            pk=getattr(community, "pk", community), category="community", dissolved_on__isnull=True
        ).first()
        if org is None:
            raise ValidationError({"community": "所选社区不存在"})
        return org, Tier.COMMUNITY, None
    if lat is not None:
        raise ValidationError({"location": "位置不在本平台服务范围内（未找到所在网格），请选择所在社区"})
    raise ValidationError({"place": "请选择所在小区/网格或社区"})


def status_link_token(request: Request) -> str:
    return signing.dumps({"n": request.number, "k": request.access_key}, salt=LINK_SALT, compress=True)


def request_from_link(token: str) -> Request | None:
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    found = Request.objects.filter(number=str(data.get("n", ""))).select_related("category").first()
    if found is None or not secrets.compare_digest(found.access_key, str(data.get("k", ""))):
        return None
    return found


def digest_code(code: str) -> str:
    return crypto.blind_index(f"query-code:{code}")


def request_from_code(number: str, code: str) -> Request | None:
    found = Request.objects.filter(number=(number or "").strip().upper()).select_related("category").first()
    if (
        found is None
        or not code
        or not secrets.compare_digest(found.query_code_digest, digest_code(code.strip()))
    ):
        return None
    return found


def _behalf_allowed(actor, first_org: Organisation) -> Member | None:
    """A member registers for someone they are paired with (their branch's area) or a secretary/committee
    in whose subtree the place lies; returns the member acting, if one."""
    scope = scope_of(actor)
    if scope.allows(Action.CHANGE, first_org.path) or scope.allows(Action.CHANGE, first_org.path[:-4]):
        return None
    member = Member.objects.filter(pk__in=scope.member_ids).select_related("organisation").first()
    if member is not None:
        community = member.org_path[:-4]
        if first_org.path.startswith(community) or community.startswith(first_org.path):
            return member
        # a member of an industry line may register for drivers/riders of that committee
        if first_org.kind == "industry_committee" and member.org_path.startswith(first_org.path):
            return member
    raise ValidationError({"place": "该地点不在您所在党组织的服务范围内，不能代为登记"})


@transaction.atomic
def submit(
    *,
    actor,
    channel: str,
    category,
    description: str,
    phone: str,
    code: str = "",
    requester_name: str = "",
    audience: str = Audience.RESIDENT,
    address: str = "",
    place=None,
    community=None,
    industry=None,
    latitude=None,
    longitude=None,
    photo=None,
    client: str = "",
    at=None,
) -> tuple[Request, str]:
    """Receive a request; returns it and the requester's query code (shown once, also sent by SMS)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": "渠道不正确"})
    if audience not in Audience.values:
        raise ValidationError({"audience": "请选择诉求人类别"})
    category = active_category(category)
    if not category.for_audience(audience):
        raise ValidationError({"category": f"“{category.name}”不适用于{Audience(audience).label}"})
    description = base.clean_text(description, "description", "诉求内容", max_length=2000)
    address = base.clean_text(address, "address", "地点", max_length=255, required=False)
    requester_name = base.clean_text(requester_name, "requester_name", "称呼", max_length=50, required=False)
    phone = phone_or_error(phone)
    lat = _decimal(latitude, "latitude", *base.LAT_RANGE)
    lng = _decimal(longitude, "longitude", *base.LNG_RANGE)
    if (lat is None) != (lng is None):
        raise ValidationError({"location": "请同时提供纬度和经度"})
    required = set(category.required_fields or [])
    if "address" in required and not address and place in (None, ""):
        raise ValidationError({"address": f"“{category.name}”须填写具体地点"})
    if "location" in required and lat is None and not address and place in (None, ""):
        raise ValidationError({"location": "请允许获取位置，或填写所在地点"})
    photo = check_photo(photo, base.rule("photo_max_kb", 5120))
    first_org, tier, found_place = route(
        category=category,
        audience=audience,
        place=place,
        community=community,
        industry=industry,
        lat=lat,
        lng=lng,
    )
    tier = base.tier_for_org(first_org, tier)
    member = None
    if channel == Channel.BEHALF:
        if actor is None or not actor.is_authenticated:
            raise ValidationError({"channel": "代为登记须登录"})
        member = _behalf_allowed(actor, first_org)
    elif channel == Channel.OPEN311:
        scope = scope_of(actor)
        if actor is None or not actor.is_authenticated or not scope.allows(Action.CHANGE, first_org.path):
            raise ValidationError({"address_id": "该地点不在接入账号的管辖范围内"})
    elif channel in (Channel.WEB, Channel.ONETAP):
        if not sms.check_code(phone, CODE_PURPOSE, code):
            raise ValidationError({"code": "验证码不正确或已过期，请重新获取"})
    phone_key = crypto.blind_index(phone)
    base.limit("submit.phone", phone_key, base.SUBMIT_RATE_PHONE, "phone")
    base.limit("submit.client", client, base.SUBMIT_RATE_ADDRESS, "phone")
    received = at or base.now()
    query_code = f"{secrets.randbelow(10**6):06d}"
    request = Request.objects.create(
        number=base.new_number(),
        token=secrets.token_hex(16),
        access_key=secrets.token_urlsafe(18)[:24],
        query_code_digest=digest_code(query_code),
        category=category,
        audience=audience,
        channel=channel,
        description=description,
        address=address,
        latitude=lat,
        longitude=lng,
        place=found_place,
        photo=photo or "",
        requester_name=requester_name,
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=phone_key,
        phone_suffix=phone[-4:],
        submitted_by=actor if channel == Channel.BEHALF else None,
        phase=Phase.PENDING,
        tier=tier,
        first_org=first_org,
        current_org=first_org,
        current_path=first_org.path,
        org_path=first_org.path,
        region_code=first_org.region_code,
        assigned_at=received,
        due_at=base.due_for(category, received),
        final_due_at=base.due_for(category, received),
    )
    how = Channel(channel).label + (f"（{member.name}代为登记）" if member else "")
    base.event(
        request,
        EventKind.RECEIVED,
        text=f"{how}，类别“{category.name}”，时限{category.limit_text}",
        actor=actor,
        at=received,
    )
    base.event(
        request, EventKind.ROUTED, text=f"派至{first_org.name}（{request.get_tier_display()}）", at=received
    )
    duplicate = possible_duplicate(request)
    if duplicate is not None:
        base.event(
            request,
            EventKind.RECEIVED,
            text=f"疑似与诉求{duplicate.number}重复，待承办单位核实合并",
            at=received,
        )
    audit.record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="service.request.submitted",
        target=request,
        org=first_org,
        after={
            "category": category.code,
            "channel": channel,
            "tier": tier,
            "member": member.pk if member else None,
        },
    )
    link = status_link_token(request)
    transaction.on_commit(
        lambda: sms.notify(
            phone,
            f"【党建平台】您的诉求已受理，编号{request.number}，查询码{query_code}。查看进度：/service/t/{link}/",
        )
    )
    return request, query_code


def possible_duplicate(request: Request) -> Request | None:
    """An open request of the same category at the same place (or within the distance) in the window."""
    hours = base.rule("duplicate_hours", 72)
    since = request.created_at - datetime.timedelta(hours=hours)
    rows = Request.objects.filter(
        category_id=request.category_id, status="open", created_at__gte=since, duplicate_of__isnull=True
    ).exclude(pk=request.pk)
    if request.place_id:
        return rows.filter(place_id=request.place_id).order_by("created_at").first()
    lat, lng = request.latitude, request.longitude
    if lat is None or lng is None:
        return None
    metres = base.rule("duplicate_metres", 100)
    span = Decimal(str(round(metres / 111_000 * 1.5, 6)))
    near = rows.filter(
        latitude__gte=lat - span,
        latitude__lte=lat + span,
        longitude__gte=lng - span,
        longitude__lte=lng + span,
    ).order_by("created_at")
    for other in near[:50]:
        if distance_m(lat, lng, other.latitude, other.longitude) <= metres:
            return other
    return None


def distance_m(lat1, lng1, lat2, lng2) -> float:
    la1, lo1, la2, lo2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6_371_000 * 2 * math.asin(math.sqrt(h))

"""The place registry (compounds and grids), departments, service stations and 由邻评事 ratings."""

from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit, crypto
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.orgs.models import Organisation
from qiangji.service.choices import Occasion, PlaceKind, RatingTarget, StationKind
from qiangji.service.models import Category, Department, NeighbourRating, Place, ServiceStation
from qiangji.service.services import base
from qiangji.service.services.intake import _decimal, phone_or_error


def _org(actor, pk, field: str) -> Organisation:
    org = (
        Organisation.objects.visible_to(actor, Action.CHANGE).filter(pk=getattr(pk, "pk", pk)).first()
        if pk
        else None
    )
    if org is None:
        raise ValidationError({field: "党组织不存在，或不在您的管理范围内"})
    return org


@transaction.atomic
def create_place(
    *,
    actor,
    kind: str,
    name: str,
    organisation,
    address: str = "",
    latitude=None,
    longitude=None,
    boundary=None,
    property_company: str = "",
) -> Place:
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": "请选择小区或网格"})
    org = _org(actor, organisation, "organisation")
    name = base.clean_text(name, "name", "名称", max_length=100)
    points = boundary or []
    if not isinstance(points, list) or any(not isinstance(p, list | tuple) or len(p) != 2 for p in points):
        raise ValidationError({"boundary": "网格边界须为 [[纬度, 经度], …]"})
    community = (
        org
        if org.category == "community" and not org.is_branch
        else Organisation.objects.filter(path=org.path[:-4]).first()
    )
    place = Place.objects.create(
        kind=kind,
        name=name,
        organisation=org,
        community=community,
        address=base.clean_text(address, "address", "地址", max_length=255, required=False),
        latitude=_decimal(latitude, "latitude", *base.LAT_RANGE),
        longitude=_decimal(longitude, "longitude", *base.LNG_RANGE),
        boundary=[[float(a), float(b)] for a, b in points],
        property_company=base.clean_text(
            property_company, "property_company", "物业服务企业", max_length=100, required=False
        ),
        org_path=org.path,
        region_code=org.region_code,
    )
    audit.record(
        actor=actor, action="service.place.created", target=place, org=org, after={"kind": kind, "name": name}
    )
    return place


@transaction.atomic
def create_department(*, actor, organisation, name: str, categories=()) -> Department:
    org = _org(actor, organisation, "organisation")
    if Department.objects.filter(organisation=org).exists():
        raise ValidationError({"organisation": "该党组织已登记为承办部门"})
    dept = Department.objects.create(
        organisation=org,
        name=base.clean_text(name, "name", "部门名称", max_length=100),
        org_path=org.path,
        region_code=org.region_code,
    )
    found = list(Category.objects.filter(pk__in=[getattr(c, "pk", c) for c in categories]))
    dept.categories.set(found)
    audit.record(
        actor=actor,
        action="service.department.created",
        target=dept,
        org=org,
        after={"categories": [c.code for c in found]},
    )
    return dept


@transaction.atomic
def create_station(
    *,
    actor,
    kind: str,
    name: str,
    organisation,
    address: str,
    latitude=None,
    longitude=None,
    hours: str = "",
    services: str = "",
    phone: str = "",
) -> ServiceStation:
    if kind not in StationKind.values:
        raise ValidationError({"kind": "请选择站点类型"})
    org = _org(actor, organisation, "organisation")
    station = ServiceStation.objects.create(
        kind=kind,
        name=base.clean_text(name, "name", "名称", max_length=100),
        organisation=org,
        address=base.clean_text(address, "address", "地址", max_length=255),
        latitude=_decimal(latitude, "latitude", *base.LAT_RANGE),
        longitude=_decimal(longitude, "longitude", *base.LNG_RANGE),
        hours=base.clean_text(hours, "hours", "开放时间", max_length=100, required=False),
        services=base.clean_text(services, "services", "服务内容", max_length=255, required=False),
        phone=base.clean_text(phone, "phone", "联系电话", max_length=30, required=False),
        org_path=org.path,
        region_code=org.region_code,
    )
    audit.record(actor=actor, action="service.station.created", target=station, org=org, after={"kind": kind})
    return station


@transaction.atomic
def rate_neighbourhood(
    *,
    place,
    target: str,
    score,
    phone: str,
    occasion: str = Occasion.INSTANT,
    comment: str = "",
    client: str = "",
) -> NeighbourRating:
    """由邻评事: one rating per phone, compound, target and month (a later one replaces nothing: refused)."""
    found = (
        Place.objects.filter(pk=getattr(place, "pk", place), kind=PlaceKind.COMPOUND, is_active=True).first()
        if str(getattr(place, "pk", place)).isdigit()
        else None
    )
    if found is None:
        raise ValidationError({"place": "请选择小区"})
    if target not in RatingTarget.values:
        raise ValidationError({"target": "请选择评价对象：物业服务企业或业主委员会"})
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": "请选择评价方式"})
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": "请打1到5分"})
    phone = phone_or_error(phone)
    key = crypto.blind_index(phone)
    base.limit("rating.phone", key, base.RATING_RATE, "phone")
    base.limit("rating.client", client, "60/h", "phone")
    day = today()
    if NeighbourRating.objects.filter(
        place=found, target=target, phone_hash=key, rated_on__year=day.year, rated_on__month=day.month
    ).exists():
        raise ValidationError({"target": "本月您已评价过该对象"})
    rating = NeighbourRating.objects.create(
        place=found,
        target=target,
        occasion=occasion,
        score=score,
        comment=base.clean_text(comment, "comment", "意见", max_length=500, required=False),
        phone_hash=key,
        rated_on=day,
        org_path=found.org_path,
        region_code=found.region_code,
    )
    audit.record(
        actor=None,
        action="service.rating.created",
        target=rating,
        org_path=found.org_path,
        after={"target": target, "score": score},
    )
    return rating

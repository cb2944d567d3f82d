"""Reads of the request desk, each from `visible_to(user, action)` or from a request already read in scope.

`work_counts` is the selector other apps (assessment) read: claimed and solved requests per member and
per branch, as SQL aggregates."""

import datetime
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from qiangji.core.choices import Action
from qiangji.core.models import WorkdayOverride
from qiangji.core.scoping import PATH_STEP, scope_of
from qiangji.core.workdays import calendar_warning
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.service.choices import OPEN_PHASES, Outcome, Phase, PlaceKind, Rating, Status, Tier, WorkKind
from qiangji.service.models import (
    Category,
    Department,
    DeskRule,
    NeighbourRating,
    Place,
    Request,
    RequestEvent,
    ServiceStation,
    WorkRecord,
)


def categories(audience: str | None = None):
    rows = Category.objects.filter(is_active=True)
    if audience:
        rows = rows.filter(audiences__contains=audience)
    return rows


def category_rows():
    return Category.objects.all()


def desk_rules():
    return DeskRule.objects.all()


def requests_for(user, action: str = Action.VIEW):
    return Request.objects.visible_to(user, action).select_related("category", "current_org", "first_org")


def history(request: Request):
    return request.events.all()


def work_for(request: Request):
    return request.work.select_related("organisation", "member")


def own_member(user) -> Member | None:
    ids = scope_of(user).member_ids
    return Member.objects.filter(pk__in=ids).select_related("organisation").first() if ids else None


def member_pool(user):
    """Open requests a member may claim: those whose first unit lies in the member's community."""
    member = own_member(user)
    if member is None:
        return Request.objects.none()
    community = member.org_path[:-PATH_STEP] if len(member.org_path) > PATH_STEP else member.org_path
    return (
        Request.objects.filter(org_path__startswith=community, status=Status.OPEN, phase__in=OPEN_PHASES[:3])
        .exclude(phase=Phase.WAITING)
        .select_related("category", "current_org")
    )


def departments_for(user):
    return Department.objects.visible_to(user, Action.CHANGE).select_related("organisation")


def department_pool(user):
    """Requests at the street or district tier of a department's county, of its categories."""
    q = Q(pk__in=[])
    for dept in departments_for(user)[:50]:
        term = Q(region_code=dept.region_code, tier__in=(Tier.STREET, Tier.DISTRICT), status=Status.OPEN)
        codes = list(dept.categories.values_list("pk", flat=True))
        if codes:
            term &= Q(category_id__in=codes)
        q |= term
    return Request.objects.filter(q).exclude(phase=Phase.ANSWERED).select_related("category", "current_org")


def overdue(user, *, at=None):
    at = at or timezone.now()
    return (
        requests_for(user)
        .filter(status=Status.OPEN, paused_at__isnull=True, due_at__lt=at)
        .exclude(phase=Phase.ANSWERED)
    )


def places_for(user):
    return Place.objects.visible_to(user).select_related("organisation", "community")


def public_places():
    return Place.objects.filter(is_active=True).select_related("community").order_by("name")


def public_compounds():
    return public_places().filter(kind=PlaceKind.COMPOUND)


def stations_for(user):
    return ServiceStation.objects.visible_to(user)


def stations_near(lat=None, lng=None, *, limit: int = 5):
    """Active stations, nearest first when a position is known (a box narrows them in SQL)."""
    rows = ServiceStation.objects.filter(is_active=True)
    if lat is None or lng is None:
        return list(rows.order_by("kind", "name")[:limit])
    lat, lng = Decimal(str(lat)), Decimal(str(lng))
    span = Decimal("0.2")
    near = list(
        rows.filter(
            latitude__gte=lat - span,
            latitude__lte=lat + span,
            longitude__gte=lng - span,
            longitude__lte=lng + span,
        )[:200]
    )
    near.sort(key=lambda s: (float(s.latitude) - float(lat)) ** 2 + (float(s.longitude) - float(lng)) ** 2)
    return near[:limit]


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def figures(user, *, org_path: str = "", start: datetime.date, end: datetime.date) -> dict:
    """Response, resolution, satisfaction and on-time rates for requests received in [start, end] whose
    first unit lies under `org_path` (within the user's scope): one aggregate query."""
    rows = Request.objects.visible_to(user).filter(created_at__date__gte=start, created_at__date__lte=end)
    if org_path:
        rows = rows.filter(org_path__startswith=org_path)
    rows = rows.filter(duplicate_of__isnull=True)
    got = rows.aggregate(
        total=Count("pk"),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(on_time=True)),
        with_outcome=Count("pk", filter=~Q(outcome="")),
        solved=Count("pk", filter=Q(outcome=Outcome.SOLVED)),
        partly=Count("pk", filter=Q(outcome=Outcome.PARTLY)),
        rated=Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED))),
        satisfied=Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
        unrated=Count("pk", filter=Q(rating=Rating.UNRATED)),
        open=Count("pk", filter=Q(status=Status.OPEN)),
        escalated=Count("pk", filter=Q(escalations__gt=0)),
    )
    got["response_rate"] = _rate(got["responded"], got["total"])
    got["resolution_rate"] = _rate(got["solved"], got["with_outcome"])
    got["satisfaction_rate"] = _rate(got["satisfied"], got["rated"])
    got["on_time_rate"] = _rate(got["on_time"], got["answered"])
    return got


def figures_by_unit(user, *, start: datetime.date, end: datetime.date, limit: int = 100):
    """The same figures per first unit (one GROUP BY query)."""
    rows = (
        Request.objects.visible_to(user)
        .filter(created_at__date__gte=start, created_at__date__lte=end, duplicate_of__isnull=True)
        .values("first_org_id", "first_org__name")
        .annotate(
            total=Count("pk"),
            responded=Count("pk", filter=Q(responded_at__isnull=False)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(on_time=True)),
            with_outcome=Count("pk", filter=~Q(outcome="")),
            solved=Count("pk", filter=Q(outcome=Outcome.SOLVED)),
            rated=Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED))),
            satisfied=Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
        )
        .order_by("-total")[:limit]
    )
    out = []
    for row in rows:
        row["response_rate"] = _rate(row["responded"], row["total"])
        row["resolution_rate"] = _rate(row["solved"], row["with_outcome"])
        row["satisfaction_rate"] = _rate(row["satisfied"], row["rated"])
        row["on_time_rate"] = _rate(row["on_time"], row["answered"])
        out.append(row)
    return out


def warning_counts(user, *, at=None) -> dict:
    """Red: no response in N hours; yellow: no progress in N days; both over open requests in scope."""
    at = at or timezone.now()
    hours = DeskRule.value_of(DeskRule.NO_RESPONSE_HOURS, 24)
    days = DeskRule.value_of(DeskRule.NO_PROGRESS_DAYS, 3)
    rows = requests_for(user).filter(status=Status.OPEN, paused_at__isnull=True).exclude(phase=Phase.ANSWERED)
    return rows.aggregate(
        red=Count(
            "pk", filter=Q(responded_at__isnull=True, created_at__lt=at - datetime.timedelta(hours=hours))
        ),
        yellow=Count(
            "pk",
            filter=Q(responded_at__isnull=False, last_progress_at__lt=at - datetime.timedelta(days=days)),
        ),
        overdue=Count("pk", filter=Q(due_at__lt=at)),
        open=Count("pk"),
    )


def warning_level(request: Request, *, at=None) -> str:
    at = at or timezone.now()
    if request.status != Status.OPEN or request.paused_at or request.phase == Phase.ANSWERED:
        return "green"
    hours = DeskRule.value_of(DeskRule.NO_RESPONSE_HOURS, 24)
    days = DeskRule.value_of(DeskRule.NO_PROGRESS_DAYS, 3)
    if request.responded_at is None and request.created_at < at - datetime.timedelta(hours=hours):
        return "red"
    if request.due_at < at:
        return "red"
    last = request.last_progress_at or request.created_at
    if last < at - datetime.timedelta(days=days):
        return "yellow"
    return "green"


def units_unsatisfied_twice(user) -> list[dict]:
    """Units whose last two rated requests were both 不满意 (a window function over the user's scope)."""
    ranked = (
        requests_for(user)
        .filter(rating__in=(Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED))
        .annotate(rank=Window(RowNumber(), partition_by=[F("first_org_id")], order_by=F("closed_at").desc()))
        .filter(rank__lte=2)
        .values("first_org_id", "first_org__name", "rating")
    )
    seen: dict[int, list] = {}
    for row in ranked:
        seen.setdefault(row["first_org_id"], [row["first_org__name"]]).append(row["rating"])
    return [
        {"org_id": org_id, "name": values[0]}
        for org_id, values in seen.items()
        if values[1:] == [Rating.UNSATISFIED, Rating.UNSATISFIED]
    ]


def work_counts(user, *, org_path: str = "", start=None, end=None):
    """Claimed and solved requests per member and per branch (WorkRecord rows in the user's scope)."""
    rows = WorkRecord.objects.visible_to(user)
    if org_path:
        rows = rows.filter(org_path__startswith=org_path)
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    counts = dict(
        claimed=Count("pk", filter=Q(kind=WorkKind.CLAIM)),
        answered=Count("pk", filter=Q(kind=WorkKind.ANSWER)),
        solved=Count("pk", filter=Q(kind=WorkKind.ANSWER, request__outcome=Outcome.SOLVED)),
    )
    by_member = (
        rows.filter(member__isnull=False)
        .values("member_id", "member__name", "organisation__name")
        .annotate(**counts)
        .order_by("-claimed", "member_id")
    )
    by_branch = rows.values("organisation_id", "organisation__name").annotate(**counts).order_by("-claimed")
    return {"members": list(by_member[:200]), "branches": list(by_branch[:200])}


def ratings_over_time(user, *, place=None):
    """由邻评事 results per compound, target and month (for the street)."""
    rows = NeighbourRating.objects.visible_to(user)
    if place is not None:
        rows = rows.filter(place=place)
    return (
        rows.annotate(month=TruncMonth("rated_on"))
        .values("place_id", "place__name", "target", "month")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by("place__name", "target", "month")
    )


def todos(user) -> list[dict]:
    """The home page's to-dos: counts over the user's scope (SQL aggregates)."""
    if not user.is_authenticated or not (user.is_superuser or scope_of(user).paths_for(Action.CHANGE)):
        pool = member_pool(user).count() if scope_of(user).member_ids else 0
        return (
            [
                {
                    "level": "info",
                    "text": f"本社区有{pool}件诉求待认领",
                    "url": "/service/pool/",
                    "count": pool,
                    "module": "service",
                }
            ]
            if pool
            else []
        )
    counts = warning_counts(user)
    items = []
    if counts["overdue"]:
        items.append(
            {
                "level": "danger",
                "text": f"{counts['overdue']}件诉求已超过本级办理期限",
                "url": "/service/requests/?overdue=1",
                "count": counts["overdue"],
                "module": "service",
            }
        )
    if counts["red"]:
        items.append(
            {
                "level": "danger",
                "text": f"{counts['red']}件诉求超过24小时无响应",
                "url": "/service/requests/?warning=red",
                "count": counts["red"],
                "module": "service",
            }
        )
    if counts["yellow"]:
        items.append(
            {
                "level": "warning",
                "text": f"{counts['yellow']}件诉求超过3天无进展",
                "url": "/service/requests/?warning=yellow",
                "count": counts["yellow"],
                "module": "service",
            }
        )
    pending = requests_for(user, Action.CHANGE).filter(phase=Phase.PENDING).count()
    if pending:
        items.append(
            {
                "level": "info",
                "text": f"{pending}件诉求待认领",
                "url": "/service/requests/?phase=pending",
                "count": pending,
                "module": "service",
            }
        )
    warning = calendar_warning()
    if warning and user.is_superuser:
        items.append(
            {
                "level": "warning",
                "text": warning,
                "url": "/service/workdays/",
                "count": 1,
                "module": "service",
            }
        )
    return items


def industry_committees():
    """Industry Party committees a rider's or driver's request may go to (a public list of names)."""
    return Organisation.objects.filter(kind="industry_committee", dissolved_on__isnull=True).order_by("name")[
        :100
    ]


def workday_overrides():
    return WorkdayOverride.objects.all()


def request_by_number_in_scope(user, number: str) -> Request | None:
    return requests_for(user, Action.CHANGE).filter(number=(number or "").strip().upper()).first()


def updates_for(user, *, start=None, end=None):
    """History lines of the requests the user sees (the Open311 request-update extension)."""
    rows = RequestEvent.objects.filter(request_id__in=requests_for(user).values("pk")).select_related(
        "request"
    )
    if start:
        rows = rows.filter(at__gte=start)
    if end:
        rows = rows.filter(at__lte=end)
    return rows

"""The branch board, the case page and the committee's work list: scoped reads, counted queries."""

import datetime

from django.db.models import Case as Case_
from django.db.models import Count, F, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from qiangji.core import dates
from qiangji.core.choices import Action, Role
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.orgs.models import Organisation
from qiangji.recruitment.choices import (
    ACTIVE_STATUSES,
    ARCHIVE_CHECKLIST,
    REFERENCE_FIELDS,
    STEP_NAMES,
    CaseStatus,
    Outcome,
    SignOffLevel,
    Stage,
)
from qiangji.recruitment.models import AdmissionForm, Case, Objection, PublicNotice, Rule, SignOff, StepRecord
from qiangji.recruitment.selectors import due, state

BOARD_PAGE = 50  # cards per stage and page; the stage totals are counted over the whole scope


def case_for(user, pk, action: str = Action.VIEW) -> Case:
    """The case if it is in the user's subtree for `action`, else 404 (never 403: nothing leaks)."""
    return get_in_scope_or_404(
        Case, user, pk, action, queryset=Case.objects.select_related("organisation", "member")
    )


def case_notice(user, case: Case, pk, action: str = Action.CHANGE) -> PublicNotice:
    """A notice of `case` read through the user's scope for `action` (404 otherwise, or for a malformed id)."""
    if not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    return get_in_scope_or_404(
        PublicNotice, user, pk, action, queryset=PublicNotice.objects.filter(case=case)
    )


def case_objection(user, case: Case, pk, *, resolved: bool, action: str = Action.CHANGE) -> Objection:
    """An objection raised during a notice of `case`, resolved or open as asked (404 otherwise)."""
    if not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    found = get_in_scope_or_404(
        Objection, user, pk, action, queryset=Objection.objects.filter(notice__case=case)
    )
    if (found.resolved_on is not None) != resolved:
        raise Http404(NOT_FOUND)
    return found


def visible_org(user, value, action: str = Action.VIEW) -> Organisation | None:
    """The organisation `value` (a pk, as given in a query parameter) if the user may see it for
    `action`; None when it is unknown, outside the scope or malformed."""
    value = str(value or "").strip()
    if not value.isdigit():
        return None
    return Organisation.objects.visible_to(user, action).filter(pk=int(value)).first()


def default_branch(user) -> Organisation | None:
    """A secretary bound to exactly one branch lands on that branch's board."""
    paths = [path for path, role in scope_of(user).grants if role == Role.BRANCH]
    if len(paths) != 1:
        return None
    return Organisation.objects.visible_to(user).filter(path=paths[0]).first()


MAX_ORG_CHOICES = 300


def org_choices(user, current) -> list[tuple[int, str, bool]]:
    """(pk, indented name, selected) for the subtree picker: the current node, its parent and children
    when one is chosen, else the user's visible organisations (first MAX_ORG_CHOICES by path)."""
    orgs = Organisation.objects.visible_to(user).only("pk", "name", "depth", "path")
    if current is not None:
        orgs = orgs.filter(path__startswith=current.path, depth__lte=current.depth + 1)
    base = min((org.depth for org in orgs[:1]), default=1)
    return [
        (org.pk, "　" * max(0, org.depth - base) + org.name, current is not None and org.pk == current.pk)
        for org in orgs[:MAX_ORG_CHOICES]
    ]


def admission_form(case: Case) -> AdmissionForm | None:
    """The numbered admission form issued to an (already scoped) case, if any."""
    return AdmissionForm.objects.filter(case=case).first()


def detail_prefetches(queryset):
    """A case queryset with everything the API's case detail shows (timeline in order, sign-offs,
    overrides, notices with their objections)."""
    return queryset.prefetch_related(
        Prefetch("steps", StepRecord.objects.order_by("occurred_on", "step", "id")),
        "signoffs__organisation",
        "gate_overrides__rule",
        Prefetch("notices__objections", Objection.objects.all()),
    )


def rule_list(rule_set: str | None = None):
    """The national rule data (the same for everyone), optionally one rule set."""
    rules_ = Rule.objects.all()
    return rules_.filter(rule_set=rule_set) if rule_set else rules_


def board(
    user,
    org_path: str | None,
    day: datetime.date,
    horizon: int = 30,
    *,
    stage: int | None = None,
    page: int = 1,
) -> list[dict]:
    """Open cases by stage: each column's `total` is a SQL count over the whole scope (the figure the
    dashboard's dev_stage_* measures give), its `cards` one page of BOARD_PAGE cases (`stage`/`page` page
    one column; the others show their first page), each with the step it waits for and its earliest
    deadline (set-wise, over the cards shown)."""
    cases = due.base_cases(user, org_path)
    totals = dict(cases.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    pages = {int(each): max(1, -(-totals.get(int(each), 0) // BOARD_PAGE)) for each in Stage}
    current = {number: min(max(1, page), count) if stage == number else 1 for number, count in pages.items()}
    # One query for every column's page: a row number per stage, kept within that stage's page.
    start = Case_(
        *[When(stage=number, then=Value((p - 1) * BOARD_PAGE)) for number, p in current.items()],
        default=Value(0),
    )
    ordered = cases.annotate(
        board_row=Window(
            RowNumber(), partition_by=[F("stage")], order_by=[F("step"), F("last_step_on"), F("pk")]
        ),
        board_start=start,
    )
    shown = list(
        ordered.filter(board_row__gt=F("board_start"), board_row__lte=F("board_start") + BOARD_PAGE)
        .select_related("organisation")
        .order_by("stage", "step", "last_step_on", "pk")
    )
    columns = []
    for each in Stage:
        number = current[int(each)]
        columns.append(
            {
                "stage": each,
                "label": each.label,
                "total": totals.get(int(each), 0),
                "rows": [case for case in shown if case.stage == int(each)],
                "page": number,
                "pages": pages[int(each)],
                "previous_page": number - 1 if number > 1 else None,
                "next_page": number + 1 if number < pages[int(each)] else None,
            }
        )
    due_by_case = (
        earliest_due(cases.filter(pk__in=[case.pk for case in shown]), day, horizon) if shown else {}
    )
    for column in columns:
        column["cards"] = [
            {"case": case, "waits_for": waits_for(case), "due": due_by_case.get(case.pk)}
            for case in column.pop("rows")
        ]
    return columns


def board_total(columns: list[dict]) -> int:
    """Everyone in the pipeline on the board (the sum of the true per-stage counts, not of the cards)."""
    return sum(column["total"] for column in columns)


def earliest_due(cases, day: datetime.date, horizon: int) -> dict[int, "due.DueItem"]:
    """case pk → its most urgent overdue or soon-due item, one query per deadline rule."""
    result: dict[int, due.DueItem] = {}
    for deadline in due.deadline_rules(day):
        fetched = due.rule_cases(
            cases.only("pk", "org_path", *REFERENCE_FIELDS.values(), "step"), deadline, day, horizon
        )
        for item in due.items(deadline, fetched, day):
            current = result.get(item.case.pk)
            if current is None or item.due_on < current.due_on:
                result[item.case.pk] = item
    return result


def waits_for(case: Case) -> str:
    if case.status == CaseStatus.ARCHIVED:
        return "已归档"
    if case.status not in ACTIVE_STATUSES:
        return case.get_status_display()
    return f"第{case.next_step}步 {case.next_step_name}" if case.next_step else "材料归档"


def timeline(case: Case) -> list:
    return list(case.steps.select_related("recorded_by").order_by("occurred_on", "step", "pk"))


def pending_rules(
    case: Case, day: datetime.date, page: dict | None = None, current: "state.StepState | None" = None
) -> list[dict]:
    """The rules of the next step with what the case's records say about them on `day`: the facts of
    `selectors.state.step_state`, the same computation the services' gates refuse with (so "已满足"
    here is what lets the step through).  `page` is accepted for the callers that hold it; pass
    `current` (from `next_step_state`) to reuse a computed state."""
    current = current or next_step_state(case, day)
    if current is None:
        return []
    return [
        {
            "rule": fact.rule,
            "status": fact.status,
            "text": fact.text,
            "kind": fact.kind,
            "blocking": fact.blocking,
        }
        for fact in current.facts
    ]


def next_step_state(case: Case, day: datetime.date) -> state.StepState | None:
    """The rule state of the case's next step on `day` (None when no step is left or the case is closed)."""
    if case.next_step is None or case.status not in ACTIVE_STATUSES:
        return None
    return state.step_state(case, case.next_step, day)


def status_label(case: Case) -> str:
    """The case's status in words: "已转正" only once the confirmation approval (step 24) has passed."""
    if case.status == CaseStatus.CONFIRMED and case.confirmation_approved_on is None:
        return "支部大会已通过转正，待上级党委审批"
    return case.get_status_display()


def case_page(case: Case) -> dict:
    """Everything the case page shows, each relation fetched once (query count pinned in tests)."""
    return {
        "timeline": timeline(case),
        "documents": list(case.documents.order_by("kind", "uploaded_at")),
        "signoffs": list(case.signoffs.select_related("organisation").order_by("signed_on", "pk")),
        "mentors": list(case.mentors.select_related("member").order_by("assigned_on")),
        "sponsors": list(case.sponsors.select_related("member").order_by("named_on")),
        "vettings": list(case.vettings.order_by("concluded_on")),
        "trainings": list(case.trainings.order_by("started_on")),
        "overrides": list(case.gate_overrides.select_related("rule", "actor").order_by("created_at")),
        "notices": list(case.notices.prefetch_related("objections").order_by("starts_on")),
        "votes": list(case.votes.select_related("meeting").order_by("meeting__held_on")),
        "decisions": list(case.probation_decisions.order_by("decided_on")),
        "transfers": list(case.transfers.select_related("from_organisation", "to_organisation")),
    }


def checklist(case: Case, documents=None) -> list[dict]:
    """Step 25 (docs/rules.md §1, fzdy-2014 第34条): each required document kind, present or missing."""
    documents = case.documents.all() if documents is None else documents
    present = {doc.kind for doc in documents}
    return [{"kind": kind, "label": kind.label, "present": kind in present} for kind in ARCHIVE_CHECKLIST]


def committee_work(user, org_path: str | None) -> dict:
    """For a committee: cases waiting for its sign-off (pre-review, approval, confirmation approval)
    and notices whose window is open or whose objections are unresolved."""
    cases = due.base_cases(user, org_path).select_related("organisation")
    waiting = {
        "pre_review": cases.filter(step=12),
        "approval": cases.filter(step__in=(15, 16)),
        "confirmation_approval": cases.filter(step=23),
    }
    notices = (
        PublicNotice.objects.visible_to(user)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(resolved_on__isnull=True),
                to_attr="open_objections",
            )
        )
    )
    if org_path:
        notices = notices.filter(org_path__startswith=org_path)
    today = dates.today()
    open_notices = notices.filter(
        Q(ends_on__gte=today) | Q(objections__resolved_on__isnull=True, objections__isnull=False)
    ).distinct()
    returned = SignOff.objects.visible_to(user).filter(outcome=Outcome.RETURN).select_related("case")
    return {
        "waiting": {key: list(qs[:100]) for key, qs in waiting.items()},
        "notices": list(open_notices.order_by("ends_on")[:100]),
        "returned": list(returned.order_by("-signed_on")[:50]),
        "levels": dict(SignOffLevel.choices),
        "step_names": STEP_NAMES,
    }

"""The branch board, the case page and the committee's work list: scoped reads, counted queries."""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404

from qiangji.core import dates
from qiangji.core.choices import Action, Role
from qiangji.core.scoping import NOT_FOUND, get_in_scope_or_404, scope_of
from qiangji.orgs.models import Organisation
from qiangji.recruitment import rules
from qiangji.recruitment.choices import (
    ACTIVE_STATUSES,
    ARCHIVE_CHECKLIST,
    REFERENCE_FIELDS,
    STEP_NAMES,
    CaseStatus,
    Outcome,
    RuleKind,
    SignOffLevel,
    Stage,
)
from qiangji.recruitment.models import AdmissionForm, Case, Objection, PublicNotice, Rule, SignOff, StepRecord
from qiangji.recruitment.selectors import due

BOARD_LIMIT = 200  # per stage; a branch rarely has more, a committee's board links to the full list


def case_for(user, pk, action: str = Action.VIEW) -> Case:
    """The case if it is in the user's subtree for `action`, else 404 (never 403: nothing leaks)."""
    return get_in_scope_or_404(Case, user, pk, action, queryset=Case.objects.select_related("organisation", "member"))


def case_notice(user, case: Case, pk, action: str = Action.CHANGE) -> PublicNotice:
    """A notice of `case` read through the user's scope for `action` (404 otherwise, or for a malformed id)."""
    if not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    return get_in_scope_or_404(PublicNotice, user, pk, action, queryset=PublicNotice.objects.filter(case=case))


def case_objection(user, case: Case, pk, *, resolved: bool, action: str = Action.CHANGE) -> Objection:
    """An objection raised during a notice of `case`, resolved or open as asked (404 otherwise)."""
    if not str(pk or "").isdigit():
        raise Http404(NOT_FOUND)
    found = get_in_scope_or_404(Objection, user, pk, action, queryset=Objection.objects.filter(notice__case=case))
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
    return [(org.pk, "　" * max(0, org.depth - base) + org.name, current is not None and org.pk == current.pk)
            for org in orgs[:MAX_ORG_CHOICES]]


def admission_form(case: Case) -> AdmissionForm | None:
    """The numbered admission form issued to an (already scoped) case, if any."""
    return AdmissionForm.objects.filter(case=case).first()


def detail_prefetches(queryset):
    """A case queryset with everything the API's case detail shows (timeline in order, sign-offs,
    overrides, notices with their objections)."""
    return queryset.prefetch_related(
        Prefetch("steps", StepRecord.objects.order_by("occurred_on", "step", "id")),
        "signoffs__organisation", "gate_overrides__rule",
        Prefetch("notices__objections", Objection.objects.all()))


def rule_list(rule_set: str | None = None):
    """The national rule data (the same for everyone), optionally one rule set."""
    rules_ = Rule.objects.all()
    return rules_.filter(rule_set=rule_set) if rule_set else rules_


def board(user, org_path: str | None, day: datetime.date, horizon: int = 30) -> list[dict]:
    """Open cases by stage, each with the step it waits for and its earliest deadline (set-wise)."""
    cases = due.base_cases(user, org_path)
    due_by_case = earliest_due(cases, day, horizon)
    columns = {stage: [] for stage in Stage}
    rows = cases.select_related("organisation").order_by("stage", "step", "last_step_on", "pk")
    for case in rows[: BOARD_LIMIT * len(Stage)]:
        column = columns[Stage(case.stage)]
        if len(column) < BOARD_LIMIT:
            column.append({"case": case, "waits_for": waits_for(case), "due": due_by_case.get(case.pk)})
    return [{"stage": stage, "label": stage.label, "cards": cards} for stage, cards in columns.items()]


def earliest_due(cases, day: datetime.date, horizon: int) -> dict[int, "due.DueItem"]:
    """case pk → its most urgent overdue or soon-due item, one query per deadline rule."""
    result: dict[int, due.DueItem] = {}
    for deadline in due.deadline_rules(day):
        fetched = due.rule_cases(cases.only("pk", "org_path", *REFERENCE_FIELDS.values(), "step"), deadline, day,
                                 horizon)
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


def pending_rules(case: Case, day: datetime.date, page: dict | None = None) -> list[dict]:
    """The rules of the next step with what the case's records say about them today.

    Minimum periods and deadlines (earliest / last allowed day), vetting, training, pre-review, higher
    consent and notices are evaluated here read-only, from the records the page already holds; the
    rest (sponsors, ballots, approver...) are checked by the service when the step is recorded.
    """
    step = case.next_step
    if step is None:
        return []
    result = []
    rule_set = rules.applicable_rule_set(day)
    for rule in Rule.objects.filter(rule_set=rule_set, step=step).order_by("kind", "code"):
        effective = rules.effective_rule(rule.code, day, case.org_path)
        if effective is None or not effective.enabled:
            continue
        state = _rule_state(case, effective, day)
        if state["status"] == "check" and page is not None:
            state.update(_gate_state(effective, page, day))
        result.append(state)
    return result


NOTICE_PURPOSE_OF_STEP = {3: "activist", 7: "target", 15: "admission", 23: "confirmation"}


def _gate_state(rule, page: dict, day: datetime.date) -> dict:
    """passed / pending for the gates whose facts are records of the case ({} when not evaluable)."""
    code = rule.code.split(".", 1)[1]
    signed = {(s.level, s.outcome) for s in page["signoffs"]}
    if code == "vetting_passed":
        ok = any(v.outcome == Outcome.PASS for v in page["vettings"])
        return _state(ok, "已有合格的政治审查结论" if ok else "尚无合格的政治审查结论")
    if code in ("training_min_days", "training_min_hours"):
        days = sum(t.days for t in page["trainings"])
        hours = sum(t.hours for t in page["trainings"])
        return _state(days >= 3 or hours >= 24, f"已培训 {days} 天、{hours} 学时（不少于3天或24学时）")
    if code == "pre_review_passed":
        ok = (SignOffLevel.PRE_REVIEW, Outcome.PASS) in signed
        return _state(ok, "预审已合格" if ok else "尚未预审合格")
    if code == "higher_consent":
        ok = (SignOffLevel.CONSENT, Outcome.PASS) in signed
        return _state(ok, "已征得上级党委同意" if ok else "尚未征得上级党委同意")
    purpose = NOTICE_PURPOSE_OF_STEP.get(rule.step)
    notices = [n for n in page["notices"] if n.purpose == purpose]
    if code == "notice_min":
        ok = any(n.working_days >= (rule.minimum or 0) for n in notices)
        return _state(ok, "已公示" if ok else f"尚未公示（不少于{int(rule.minimum or 0)}个工作日）")
    if code == "notice_closed":
        open_windows = [n for n in notices if n.ends_on >= day]
        open_objections = sum(1 for n in notices for o in n.objections.all() if o.resolved_on is None)
        ok = not open_windows and not open_objections
        return _state(ok, "公示期已满，反映的问题均已处理" if ok else
                      f"公示期未满 {len(open_windows)} 项，未处理的反映 {open_objections} 件")
    return {}


def _state(ok: bool, text: str) -> dict:
    return {"status": "passed" if ok else "pending", "text": text}


def _rule_state(case: Case, rule, day: datetime.date) -> dict:
    ref_field = REFERENCE_FIELDS.get(rule.reference_step) if rule.reference_step else None
    ref = getattr(case, ref_field) if ref_field else None
    state = {"rule": rule, "status": "check", "text": "办理时核验", "kind": RuleKind(rule.kind).label}
    if ref and rule.minimum is not None and rule.unit in due.TIME_UNITS:
        earliest = rules.earliest_date(rule, ref)
        passed = day >= earliest.date
        state.update(status="passed" if passed else "pending", text=f"最早可办理日期 {earliest.label}")
    elif ref and rule.maximum is not None and rule.unit in due.TIME_UNITS:
        last = rules.due_date(rule, ref)
        state.update(status="late" if day > last.date else "open", text=f"最迟办理日期 {last.label}")
    return state


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
    notices = PublicNotice.objects.visible_to(user).select_related("case").prefetch_related(
        Prefetch("objections", queryset=Objection.objects.filter(resolved_on__isnull=True), to_attr="open_objections"))
    if org_path:
        notices = notices.filter(org_path__startswith=org_path)
    today = dates.today()
    open_notices = notices.filter(Q(ends_on__gte=today) | Q(objections__resolved_on__isnull=True,
                                                            objections__isnull=False)).distinct()
    returned = SignOff.objects.visible_to(user).filter(outcome=Outcome.RETURN).select_related("case")
    return {"waiting": {key: list(qs[:100]) for key, qs in waiting.items()},
            "notices": list(open_notices.order_by("ends_on")[:100]),
            "returned": list(returned.order_by("-signed_on")[:50]),
            "levels": dict(SignOffLevel.choices), "step_names": STEP_NAMES}

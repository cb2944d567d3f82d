"""Create, edit, move, merge and dissolve organisations.

Large tables carry the owning organisation's path (`org_path`) so that a subtree is an index
range; a move therefore rewrites that column in every such table, set-wise, in the move's
transaction.  Tables marked `org_path_is_frozen` (the audit trail, job rows) keep history as it was.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Substr

from qiangji.core import validators
from qiangji.core.audit import record, snapshot
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.paths import live_path_models
from qiangji.core.scoping import scope_of
from qiangji.orgs import membership
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Committee, CommitteeMember, Grant, Organisation
from qiangji.orgs.services.base import refuse, region_from_division, require, require_below_grant

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "category",
    "code",
    "national_id",
    "division_code",
    "region_code",
    "address",
    "latitude",
    "longitude",
    "founded_on",
    "contact_person",
    "contact_phone",
    "unit_relation",
    "unit_name",
    "unit_nature",
    "credit_code",
)
AUDIT_FIELDS = ("path", *EDITABLE_FIELDS, "dissolved_on", "dissolved_reason", "merged_into")
TREE_FIELDS = ["path", "depth", "numchild", "merged_into"]
ORG_OWN_MODELS = (Committee, CommitteeMember, Grant)  # rows that belong to the node itself, not its members


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能直接修改这些字段：{', '.join(sorted(unknown))}")
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


def _validate(org) -> None:
    """Model constraints plus the national organisation items' formats (docs/rules.md §7), errors by field."""
    errors = {}
    try:
        org.full_clean(exclude=TREE_FIELDS)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    code = org.division_code
    if code and (not code.isdigit() or len(code) not in (6, 9, 12)):
        errors.setdefault("division_code", []).append("行政区划代码应为6、9或12位数字（GB/T 2260）")
    for field, check in (
        ("credit_code", validators.validate_credit_code),
        ("contact_phone", validators.normalise_phone),
    ):
        try:
            setattr(org, field, check(getattr(org, field)))
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    if org.latitude is not None and not -90 <= org.latitude <= 90:
        errors.setdefault("latitude", []).append("纬度应在-90到90之间")
    if org.longitude is not None and not -180 <= org.longitude <= 180:
        errors.setdefault("longitude", []).append("经度应在-180到180之间")
    if org.founded_on:
        try:
            validators.validate_not_future(org.founded_on, "成立日期")
        except ValidationError as exc:
            errors.setdefault("founded_on", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def _check_parent(parent) -> None:
    if not parent.is_active:
        refuse("上级党组织已撤销，不能在其下设立或移入组织", "parent")
    if parent.kind in BRANCH_KINDS:
        refuse("党支部下不能设立下级党组织（党支部是党的基础组织）", "parent")


def _own_region(org, parent) -> str:
    """region_code follows the node's own county-level division code, else its parent's (docs/architecture.md "Storage": region on rows)."""
    return (
        region_from_division(org.division_code) or (parent.region_code if parent else "") or org.region_code
    )


@transaction.atomic
def create_organisation(*, actor, parent, **fields):
    """Add a child organisation under `parent` (a root only for a superuser)."""
    if parent is None and not scope_of(actor).is_superuser:
        require(actor, Action.MANAGE_TREE, None)
    if parent is not None:
        require(actor, Action.MANAGE_TREE, parent)
        parent = Organisation.objects.select_for_update().get(pk=parent.pk)
        _check_parent(parent)
    values = _clean_fields(fields)
    values["code"] = values.get("code") or f"Q{secrets.token_hex(5).upper()}"
    org = Organisation(**values)
    org.region_code = _own_region(org, parent)
    _validate(org)
    if parent is None:
        org = Organisation.objects.add_root(instance=org)
    else:
        org = Organisation.objects.add_child(parent, instance=org)
    record(
        actor=actor,
        action="orgs.organisation.created",
        target=org,
        org=org,
        after=snapshot(org, AUDIT_FIELDS),
    )
    return org


@transaction.atomic
def update_organisation(*, actor, org, **fields):
    """Rename or correct an organisation's items; a new county code is carried down to its subtree's rows."""
    require(actor, Action.CHANGE, org)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    values = _clean_fields(fields)
    before = snapshot(org, AUDIT_FIELDS)
    for key, value in values.items():
        setattr(org, key, value)
    if org.kind in BRANCH_KINDS and org.numchild:
        refuse("该组织有下级组织，不能改为党支部类型", "kind")
    old_region = before["region_code"]
    org.region_code = _own_region(org, org.get_parent()) if "division_code" in values else org.region_code
    _validate(org)
    org.save()
    if org.region_code != old_region:
        rewrite_regions(org.path, old_region, org.region_code)
    after = snapshot(org, AUDIT_FIELDS)
    changed = [key for key in AUDIT_FIELDS if before[key] != after[key]]
    record(
        actor=actor,
        action="orgs.organisation.updated",
        target=org,
        org=org,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return org


def rewrite_org_paths(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """Give every live `org_path` under `old_prefix` the new prefix: one UPDATE per table, in the caller's transaction."""
    counts = {}
    new_value = Concat(Value(new_prefix), Substr("org_path", len(old_prefix) + 1), output_field=CharField())
    for model in live_path_models():
        rows = model._base_manager.filter(org_path__startswith=old_prefix)
        counts[model._meta.label_lower] = rows.update(org_path=new_value)
    return counts


def rewrite_regions(path_prefix: str, old_region: str, new_region: str) -> None:
    """Rows of the subtree that inherited `old_region` (or had none) take `new_region`; nested counties keep theirs."""
    inherited = Q(region_code=old_region) | Q(region_code="")
    Organisation.objects.filter(inherited, path__startswith=path_prefix).update(region_code=new_region)
    for model in live_path_models():
        if any(f.name == "region_code" for f in model._meta.concrete_fields):
            model._base_manager.filter(inherited, org_path__startswith=path_prefix).update(
                region_code=new_region
            )


def _move(org, new_parent) -> tuple[str, str]:
    old_path, old_region = org.path, org.region_code
    Organisation.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    rewrite_org_paths(old_path, org.path)
    new_region = region_from_division(org.division_code) or new_parent.region_code
    if new_region and new_region != old_region:
        rewrite_regions(org.path, old_region, new_region)
        org.refresh_from_db()
    return old_path, org.path


def _check_move(org, new_parent) -> None:
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        refuse("不能将组织移动到其自身或其下级组织之下", "new_parent")
    if org.get_parent() and org.get_parent().pk == new_parent.pk:
        refuse("该组织已在所选上级组织之下", "new_parent")
    _check_parent(new_parent)


@transaction.atomic
def move_subtree(*, actor, org, new_parent):
    """Move an organisation with its whole subtree under `new_parent`, rewriting every scoped row's path."""
    require_below_grant(actor, Action.MANAGE_TREE, org)
    if new_parent is None or not scope_of(actor).allows(Action.MANAGE_TREE, new_parent.path):
        refuse("所选上级组织不在您的管理范围内", "new_parent")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    new_parent = Organisation.objects.get(pk=new_parent.pk)
    old_parent = org.get_parent()
    _check_move(org, new_parent)
    old_path, new_path = _move(org, new_parent)
    record(
        actor=actor,
        action="orgs.organisation.moved",
        target=org,
        org=org,
        before={
            "parent": old_parent.pk if old_parent else None,
            "parent_name": old_parent.name if old_parent else "",
            "path": old_path,
        },
        after={
            "parent": new_parent.pk,
            "parent_name": new_parent.name,
            "path": new_path,
            "region_code": org.region_code,
        },
    )
    return org


def _end_committee(org, on) -> None:
    CommitteeMember.objects.filter(
        committee__organisation=org, committee__ended_on__isnull=True, ended_on__isnull=True
    ).update(ended_on=on)
    Committee.objects.filter(organisation=org, ended_on__isnull=True).update(ended_on=on)


def _move_direct_rows(source, target) -> int:
    """Members (and rows kept at the member's path) of `source` itself go to `target`; returns members moved."""
    moved = 0
    for model in live_path_models():
        if model in ORG_OWN_MODELS:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        values = {"org_path": target.path}
        if "region_code" in names:
            values["region_code"] = target.region_code
        if "organisation" in names and model._meta.get_field("organisation").related_model is Organisation:
            values["organisation"] = target
        count = model._base_manager.filter(org_path=source.path).update(**values)
        moved += count if model._meta.label_lower == "members.member" else 0
    return moved


@transaction.atomic
def merge_organisations(*, actor, source, target, on=None):
    """Merge `source` into `target`: its members and children move over and it is dissolved, `merged_into` target."""
    require_below_grant(actor, Action.MANAGE_TREE, source)
    if target is None or not scope_of(actor).allows(Action.MANAGE_TREE, target.path):
        refuse("合并目标组织不在您的管理范围内", "target")
    source = Organisation.objects.select_for_update().get(pk=source.pk)
    target = Organisation.objects.select_for_update().get(pk=target.pk)
    if not source.is_active:
        refuse("该组织已撤销，不能合并", "source")
    if target.pk == source.pk or target.path.startswith(source.path):
        refuse("不能并入其自身或其下级组织", "target")
    if not target.is_active:
        refuse("合并目标组织已撤销", "target")
    children = list(Organisation.objects.get_children(source))
    if children and target.kind in BRANCH_KINDS:
        refuse("该组织有下级组织，不能并入党支部（党支部下不能设立下级党组织）", "target")
    on = on or today()
    members_moved = _move_direct_rows(source, target)
    for child in children:
        _move(child, Organisation.objects.get(pk=target.pk))
    source.refresh_from_db()
    _end_committee(source, on)
    source.dissolved_on, source.merged_into = on, target
    source.dissolved_reason = f"并入{target.name}"[:255]
    source.save(update_fields=["dissolved_on", "merged_into", "dissolved_reason", "updated_at"])
    record(
        actor=actor,
        action="orgs.organisation.merged",
        target=source,
        org=source,
        before={"dissolved_on": None},
        after={
            "merged_into": target.pk,
            "merged_into_name": target.name,
            "dissolved_on": on,
            "members_moved": members_moved,
            "children_moved": [c.pk for c in children],
        },
    )
    return source


@transaction.atomic
def dissolve_organisation(*, actor, org, on, reason: str):
    """Dissolve an organisation once nobody is left on its roll and no active organisation remains under it."""
    require_below_grant(actor, Action.MANAGE_TREE, org)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        refuse("该组织已撤销", "on")
    if not on:
        refuse("请填写撤销日期", "on")
    if not (reason or "").strip():
        refuse("请填写撤销原因", "reason")
    on_roll = membership.on_roll_count(org)
    if on_roll:
        refuse(f"该组织仍有{on_roll}名党员在册，请先转接其组织关系后再撤销")
    active_children = Organisation.objects.get_children(org).filter(dissolved_on__isnull=True).count()
    if active_children:
        refuse(f"该组织仍有{active_children}个下级组织未撤销，请先撤销或移出")
    _end_committee(org, on)
    org.dissolved_on, org.dissolved_reason = on, reason.strip()[:255]
    org.save(update_fields=["dissolved_on", "dissolved_reason", "updated_at"])
    record(
        actor=actor,
        action="orgs.organisation.dissolved",
        target=org,
        org=org,
        before={"dissolved_on": None},
        after={"dissolved_on": on, "dissolved_reason": org.dissolved_reason},
    )
    return org

"""Chinese labels for audit action codes.

A registry rather than choices on `AuditEntry.action`: each app adds its own codes at import time
(`audit_labels.register({"members.member.created": "新建党员档案"})`), and an unknown code is shown
raw, so adding a service never needs a migration of the audit table.
"""

LABELS: dict[str, str] = {
    "members.id_number.revealed": "查看完整身份证号",
    "members.phone.revealed": "查看完整手机号",
    "core.password.changed": "修改密码",
    "core.token.issued": "签发 API 令牌",
    "core.notification.read": "将通知标为已读",
    "core.data.generated": "生成演示数据",
    "core.data.history_generated": "生成演示历史数据",
    "core.demo.accounts_set": "设置演示账号",
    "orgs.organisation.created": "新建党组织",
    "orgs.organisation.updated": "修改党组织",
    "orgs.organisation.moved": "调整组织隶属关系",
    "orgs.organisation.dissolved": "撤销党组织",
    "members.member.created": "新建党员档案",
    "members.member.updated": "修改党员档案",
    "members.member.revealed": "查看完整身份证号/手机号",
    "members.member.imported": "导入党员档案",
}


# Where an entry's target can be opened: target type → URL name taking `pk`. The target's own view
# applies the reader's scope, so a link never widens what they may see.
TARGET_URLS: dict[str, str] = {
    "members.member": "members:detail",
    "orgs.organisation": "orgs:detail",
}


def register(mapping: dict[str, str]) -> None:
    """Add or replace labels; called by apps for the action codes their services write."""
    LABELS.update(mapping)


def register_target_url(target_type: str, url_name: str) -> None:
    TARGET_URLS[target_type] = url_name


def label_for(action: str) -> str:
    return LABELS.get(action, action)


def choices_for_prefixes() -> list[tuple[str, str]]:
    """Choices for the action filter: every known code plus each app prefix (`members.`)."""
    prefixes = sorted({code.split(".", 1)[0] for code in LABELS})
    app_choices = [(f"{prefix}.", f"{prefix}.*") for prefix in prefixes]
    return app_choices + sorted((code, f"{label}（{code}）") for code, label in LABELS.items())


# Labels of before/after keys that are not model fields (a reveal's "field", a step's "suffix" ...), by key,
# optionally per target type ("members.member:field").  Apps register theirs from ready().
FIELD_LABELS: dict[str, str] = {
    "field": "查看项目",
    "suffix": "末四位",
    "id_number": "公民身份证号",
    "phone": "联系电话",
    "reason": "原因",
    "note": "备注",
    "count": "数量",
    "rows": "行数",
    "from": "原值",
    "to": "新值",
    "on": "日期",
    "status": "状态",
    "kind": "类别",
    "organisation": "党组织",
    "org": "党组织",
    "member": "党员",
    "role": "角色",
    "user": "用户",
    "username": "用户名",
    "path": "组织路径",
    "new_parent": "新的上级组织",
    "target": "并入组织",
    "moved": "移动的组织数",
    "members": "党员数",
    "seats": "委员",
}
# Keys kept for the machine (materialised tree paths): not shown in a history.
HIDDEN_KEYS = {"org_path", "other_path", "home_org_path", "path", "org_paths"}
# Values that are not choices of any model field but appear in entries (a reveal's field name ...).
VALUE_LABELS: dict[str, str] = {"id_number": "公民身份证号", "phone": "联系电话"}
_choice_index: dict[str, str] | None = None


def register_field_labels(mapping: dict[str, str]) -> None:
    FIELD_LABELS.update(mapping)


def register_value_labels(mapping: dict[str, str]) -> None:
    VALUE_LABELS.update(mapping)


def field_label(target_type: str, key: str, base_label=None) -> str:
    """A registered label for `key`; `x_suffix` reads as x's label with （末四位）; else the key itself.
    `base_label(target_type, key)` names a model field (the template tag passes its own lookup)."""
    found = FIELD_LABELS.get(f"{target_type}:{key}") or FIELD_LABELS.get(key)
    if found:
        return found
    if key.endswith("_changed"):
        stem = key.removesuffix("_changed")
        stem_label = (base_label(target_type, stem) if base_label else None) or FIELD_LABELS.get(stem) or stem
        return f"{stem_label}已修改"
    if key.endswith("_suffix"):
        stem = key.removesuffix("_suffix")
        stem_label = (base_label(target_type, stem) if base_label else None) or FIELD_LABELS.get(stem) or stem
        return f"{stem_label}（末四位）"
    return key


def _build_choice_index() -> dict[str, str]:
    """value -> label over every choice field of every installed model, the shortest label of a value that
    two enums name differently (a registered VALUE_LABELS entry wins over both)."""
    from django.apps import apps

    labels: dict[str, set[str]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value:
                    labels.setdefault(value, set()).add(str(label))
    return {value: sorted(found, key=lambda label: (len(label), label))[0] for value, found in labels.items()}


def value_label(value: str) -> str | None:
    """The label of a stored enum value, or None when it is no known value (free text stays as it is)."""
    global _choice_index
    if value in VALUE_LABELS:
        return VALUE_LABELS[value]
    if _choice_index is None:
        _choice_index = _build_choice_index()
    return _choice_index.get(value)

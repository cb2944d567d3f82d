"""Chinese labels for audit action codes.

A registry rather than choices on `AuditEntry.action`: each app adds its own codes at import time
(`audit_labels.register({"members.member.created": "新建党员档案"})`), and an unknown code is shown
raw, so adding a service never needs a migration of the audit table.
"""

LABELS: dict[str, str] = {
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

from django.db import models


class Role(models.TextChoices):
    PROVINCE = "province", "省委组织部"
    CITY = "city", "市委组织部"
    COUNTY = "county", "县委组织部"
    COMMITTEE = "committee", "乡镇街道/行业党(工)委"
    BRANCH = "branch", "党支部书记/委员"
    MEMBER = "member", "党员"


class Action(models.TextChoices):
    VIEW = "view", "查看"
    CHANGE = "change", "维护"
    REVEAL = "reveal", "查看完整身份证号/手机号"
    IMPORT = "import", "导入"
    AUDIT = "audit", "查看审计日志"
    MANAGE_TREE = "manage_tree", "调整组织架构"


_STAFF = {Action.VIEW, Action.CHANGE, Action.REVEAL, Action.IMPORT, Action.AUDIT}

# What each role may do over the subtree of the node it is bound to.  A member sees only
# their own record and their own organisation (see ScopedQuerySet.self_scope).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE: frozenset(_STAFF | {Action.MANAGE_TREE}),
    Role.CITY: frozenset(_STAFF | {Action.MANAGE_TREE}),
    Role.COUNTY: frozenset(_STAFF | {Action.MANAGE_TREE}),
    Role.COMMITTEE: frozenset(_STAFF | {Action.MANAGE_TREE}),
    Role.BRANCH: frozenset(_STAFF),
    Role.MEMBER: frozenset(),
}

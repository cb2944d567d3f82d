from django.db import models


class OrgKind(models.TextChoices):
    """Organisation types (党组织类型)."""

    COMMITTEE = "committee", "党委"
    WORKING_COMMITTEE = "working_committee", "党工委"
    LEADING_GROUP = "leading_group", "党组"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"
    TEMPORARY_BRANCH = "temporary_branch", "临时党支部"
    INDUSTRY_COMMITTEE = "industry_committee", "行业党委"
    MOBILE_BRANCH = "mobile_branch", "流动党员党支部"


BRANCH_KINDS = frozenset(
    {OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH, OrgKind.MOBILE_BRANCH}
)


class OrgCategory(models.TextChoices):
    """组织类别, the national organisation item (docs/rules.md §7)."""

    RURAL = "rural", "农村"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    NON_PUBLIC_ENTERPRISE = "non_public_enterprise", "非公有制企业"
    GOVERNMENT = "government", "机关"
    SCHOOL = "school", "学校"
    PUBLIC_INSTITUTION = "public_institution", "其他事业单位"
    COMMUNITY = "community", "街道社区"
    SOCIAL_ORGANISATION = "social_organisation", "社会组织"
    OTHER = "other", "其他"


class UnitRelation(models.TextChoices):
    """单位建立党组织情况 (docs/rules.md §7)."""

    SAME_AS_PARENT = "same_as_parent", "与上级党组织所在单位相同"
    LEGAL_ENTITY = "legal_entity", "单独建立（法人单位）"
    JOINT = "joint", "联合建立"


class Post(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANISATION = "organisation", "组织委员"
    PUBLICITY = "publicity", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    MEMBER = "member", "委员"

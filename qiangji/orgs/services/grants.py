"""Role grants: (user, organisation node, role); a grant covers the node's whole subtree."""

from django.db import transaction

from qiangji.core.audit import record
from qiangji.core.choices import Action, Role
from qiangji.core.scoping import forget_scope
from qiangji.orgs.models import Grant, Organisation
from qiangji.orgs.services.base import refuse, require


def _describe(grant) -> dict:
    return {
        "user": grant.user.get_username(),
        "role": grant.role,
        "role_name": grant.get_role_display(),
        "organisation": grant.organisation_id,
    }


@transaction.atomic
def grant_role(*, actor, user, org, role: str):
    """Bind `user` to `org` with `role`; the actor must manage the tree at that node."""
    require(actor, Action.MANAGE_TREE, org)
    org = Organisation.objects.get(pk=org.pk)
    if role not in Role.values:
        refuse(f"角色“{role}”无效", "role")
    if not org.is_active:
        refuse("该组织已撤销，不能授权", "org")
    if Grant.objects.filter(user=user, organisation=org, role=role).exists():
        refuse("该用户在此组织已有相同角色", "role")
    grant = Grant.objects.create(user=user, organisation=org, org_path=org.path, role=role)
    forget_scope(user)
    record(actor=actor, action="orgs.grant.created", target=grant, org=org, after=_describe(grant))
    return grant


@transaction.atomic
def revoke_grant(*, actor, grant):
    """Remove a grant; nobody removes their own (another manager must do it)."""
    require(actor, Action.MANAGE_TREE, grant.organisation)
    if grant.user_id == actor.pk:
        refuse("不能撤销自己的授权")
    before = _describe(grant)
    record(actor=actor, action="orgs.grant.revoked", target=grant, org=grant.organisation, before=before)
    Grant.objects.filter(pk=grant.pk).delete()
    forget_scope(grant.user)

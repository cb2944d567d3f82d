"""Every write to the organisation tree, its committees and grants: one function a domain action,
one transaction, one audit entry (see docs/architecture.md "Layers inside an app")."""

from qiangji.orgs.services.committees import elect_committee
from qiangji.orgs.services.grants import grant_role, revoke_grant
from qiangji.orgs.services.tree import (
    create_organisation,
    dissolve_organisation,
    merge_organisations,
    move_subtree,
    rewrite_org_paths,
    update_organisation,
)

__all__ = [
    "create_organisation",
    "update_organisation",
    "move_subtree",
    "merge_organisations",
    "dissolve_organisation",
    "rewrite_org_paths",
    "elect_committee",
    "grant_role",
    "revoke_grant",
]

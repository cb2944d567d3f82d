from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of


def scope(request):
    """The user's scope for templates, and which nav entries to offer (computed from the cached scope)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from qiangji.core.selectors import may_audit

    user_scope = scope_of(user)
    can_import = user_scope.is_superuser or bool(user_scope.paths_for(Action.IMPORT))
    from qiangji.core import navigation

    return {
        "user_scope": user_scope,
        "can_audit": may_audit(user),
        "can_import": can_import,
        "nav_entries": navigation.entries_for(user_scope, user, getattr(request, "path", "")),
    }

"""What the recruitment pages share: the subtree a page looks at (`?org=`), and rule refusals as errors."""

from django.http import Http404

from qiangji.core.choices import Action
from qiangji.orgs.models import Organisation

NOT_FOUND = "未找到该记录，或您无权查看"
MAX_HORIZON = 366


def subtree(request, action: str = Action.VIEW) -> Organisation | None:
    """The organisation named by `?org=<pk>` if the user may see it (else 404); None: the whole scope."""
    value = request.GET.get("org") or ""
    if not value:
        return None
    try:
        return Organisation.objects.visible_to(request.user, action).get(pk=int(value))
    except (Organisation.DoesNotExist, ValueError):
        raise Http404(NOT_FOUND)


def horizon(request, default: int = 30) -> int:
    """`?days=N` for "falls due within N days", bounded so that a typo cannot ask for a century."""
    try:
        value = int(request.GET.get("days", default))
    except ValueError:
        return default
    return max(0, min(value, MAX_HORIZON))


def violation_message(exc) -> str:
    """A `RuleViolation` as the form shows it: the rule id first, then the Chinese detail."""
    return f"[{exc.rule}] {exc.detail}"


MAX_ORG_CHOICES = 300


def org_choices(request, current) -> list[tuple[int, str, bool]]:
    """(pk, indented name, selected) for the subtree picker: the current node, its parent and children
    when one is chosen, else the user's visible organisations (first MAX_ORG_CHOICES by path)."""
    orgs = Organisation.objects.visible_to(request.user).only("pk", "name", "depth", "path")
    if current is not None:
        orgs = orgs.filter(path__startswith=current.path, depth__lte=current.depth + 1)
    base = min((org.depth for org in orgs[:1]), default=1)
    return [(org.pk, "　" * max(0, org.depth - base) + org.name, current is not None and org.pk == current.pk)
            for org in orgs[:MAX_ORG_CHOICES]]

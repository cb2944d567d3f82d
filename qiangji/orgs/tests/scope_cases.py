"""Scope-walk cases for every orgs URL: kwargs point at an organisation in the FOREIGN subtree."""

from qiangji.orgs.models import Grant


def foreign(world):
    return {"pk": world.foreign_branch.pk}


CASES = {
    "orgs:tree": lambda world: {},  # roots are the user's own grants: the foreign county is not listed
    "orgs:list": lambda world: {},  # a scoped list: foreign organisations are excluded
    "orgs:detail": foreign,
    "orgs:children": lambda world: {"pk": world.foreign_county.pk},
    "orgs:create-child": lambda world: {"pk": world.foreign_county.pk},
    "orgs:edit": foreign,
    "orgs:move": foreign,
    "orgs:merge": foreign,
    "orgs:dissolve": foreign,
    "orgs:elect": foreign,
    "orgs:grants": foreign,
    "orgs:grant-revoke": lambda world: {"pk": Grant.objects.get(user=world.users["foreign"]).pk},
    # pickers: a search for the foreign names answers nothing; the foreign county's children are a 404
    "orgs:search": lambda world: {"_query": "q=另一县"},
    "orgs:picker-children": lambda world: {"_query": f"parent={world.foreign_county.pk}"},
    "organisation-search": lambda world: {"_query": "q=另一县"},
    # API writes (POST only: a GET is 405 before any lookup; a POST on the foreign county is 404)
    "organisation-move": foreign,
    "organisation-merge": foreign,
    "organisation-dissolve": foreign,
    "organisation-elect": foreign,
    "organisation-grants": foreign,
    "grant-detail": lambda world: {"pk": Grant.objects.get(user=world.users["foreign"]).pk},
    "organisation-list": lambda world: {},  # a scoped list: foreign organisations are excluded
    "organisation-detail": foreign,
}

EXEMPT: dict[str, str] = {}

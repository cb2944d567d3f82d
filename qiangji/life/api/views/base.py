"""What the life API views share: the error responses they document, body validation, an organisation
named in a request body (read through the user's CHANGE scope)."""

from django.http import Http404
from rest_framework.exceptions import NotFound

from qiangji.core.api import ERROR_RESPONSES
from qiangji.core.choices import Action
from qiangji.life import selectors
from qiangji.orgs.models import Organisation

ERRORS = {code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404)}


def valid(serializer_class, data) -> dict:
    """The validated data of `serializer_class(data=data)`; a 400 with the field messages otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def org_or_404(request, pk, action: str = Action.CHANGE) -> Organisation:
    """An organisation id from the request: outside the user's subtree it answers 404."""
    try:
        return selectors.visible_org(request.user, pk, action)
    except Http404:
        raise NotFound() from None

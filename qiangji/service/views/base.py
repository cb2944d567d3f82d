"""Shared view plumbing of the request desk."""

from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of


def client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(scope_of(user).paths_for(Action.CHANGE)))


def require_staff(user) -> None:
    if not is_staff(user):
        raise Http404("您无权办理该业务")


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_staff(request.user)
        return super().dispatch(request, *args, **kwargs)

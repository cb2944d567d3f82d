"""API plumbing shared by every app: errors as {"code", "detail"} in Chinese, scoped viewsets."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qiangji.core.choices import Action

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    422: "rule_violation",
    429: "throttled",
}
_MESSAGES = {
    401: "未登录或令牌无效",
    403: "您没有执行该操作的权限",
    404: "未找到该记录，或您无权查看",
    405: "不支持该请求方法",
    415: "不支持该内容类型",
    429: "请求过于频繁，请稍后再试",
}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = _CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        first = next(iter(fields.values()), ["请求数据不正确"])
        first_message = first[0] if isinstance(first, list) and first else str(first)
        response.data = {"code": "invalid", "detail": str(first_message), "fields": fields}
        return response
    detail = _MESSAGES.get(response.status_code) or str(getattr(exc, "detail", "请求出错"))
    response.data = {"code": code, "detail": detail}
    return response


class ScopedViewSetMixin:
    """Reads through `.visible_to(user)`: an object outside the user's subtree answers 404."""

    scope_action = Action.VIEW
    write_action = Action.CHANGE

    def get_queryset(self):
        model = self.queryset.model if self.queryset is not None else self.model
        action = self.scope_action if self.request.method in ("GET", "HEAD", "OPTIONS") else self.write_action
        return model.objects.visible_to(self.request.user, action)


def error_response(code: str, detail: str, *, http_status=status.HTTP_400_BAD_REQUEST, **extra) -> Response:
    return Response({"code": code, "detail": detail, **extra}, status=http_status)

"""API plumbing shared by every app: errors as {"code", "detail", "fields"} in Chinese, scoped viewsets,
documented error responses, and the token endpoint.

The one error shape (the `ValidationError` component of docs/openapi.yaml): `code` (machine-readable),
`detail` (Chinese), `fields` (parameter or field name → list of messages; `{}` when no field is at
fault). DRF's errors get it from `exception_handler`, an error a view builds itself and
anything unhandled under /api/ from `qiangji.core.middleware.ApiErrorMiddleware` (500, logged).
"""

import copy
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from qiangji.core import audit_labels
from qiangji.core.choices import Action
from qiangji.core.filters import AuditEntryFilter
from qiangji.core.models import AuditEntry
from qiangji.core.scoping import scope_of

NOT_FOUND_DETAIL = "未找到该记录，或您无权查看"
SERVER_ERROR_DETAIL = "服务器内部错误，请稍后再试（已记录）"
_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    422: "rule_violation",
    429: "throttled",
    500: "server_error",
}
_MESSAGES = {
    401: "未登录或令牌无效",
    403: "您没有执行该操作的权限",
    404: NOT_FOUND_DETAIL,
    405: "不支持该请求方法",
    406: "无法按请求的格式返回",
    415: "不支持该内容类型",
    429: "请求过于频繁，请稍后再试",
    500: SERVER_ERROR_DETAIL,
}


def _first_message(errors) -> str:
    """The first message in DRF's nested error structure (dicts of lists of dicts ...)."""
    if isinstance(errors, dict):
        for value in errors.values():
            message = _first_message(value)
            if message:
                return message
        return ""
    if isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
        return ""
    return str(errors)


def _leaves(errors, path: str):
    """(path, message) for every message in a nested error structure; path "" at the top."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(errors, list | tuple):
        nested = any(isinstance(value, dict | list | tuple) for value in errors)
        for index, value in enumerate(errors):
            yield from _leaves(value, (f"{path}.{index}" if path else str(index)) if nested else path)
    elif errors is not None and str(errors):
        yield path, str(errors)


def error_fields(errors) -> dict[str, list[str]]:
    """DRF's error structure as the schema's `fields`: top-level name → flat list of messages.

    A nested error (a list of rows, a dict field) stays under its top-level name, its message prefixed
    with the path inside (`1.id_number：…`), so `fields` is always an object of string lists.
    """
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors}
    fields: dict[str, list[str]] = {}
    for name, value in errors.items():
        messages = fields.setdefault(str(name), [])
        for path, message in _leaves(value, ""):
            messages.append(f"{path}：{message}" if path else message)
    return fields


def error_body(code: str, detail: str, fields: dict | None = None, **extra) -> dict:
    return {"code": code, "detail": detail, "fields": fields or {}, **extra}


def error_body_for_status(status_code: int) -> dict:
    """The generic answer for a status, when nothing more specific is known (e.g. Django's own 404)."""
    code = _CODES.get(status_code) or ("server_error" if status_code >= 500 else "error")
    return error_body(
        code, _MESSAGES.get(status_code) or (SERVER_ERROR_DETAIL if status_code >= 500 else "请求出错")
    )


def _as_drf_exception(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def _detail(exc, status_code: int) -> str:
    """A message given by the code that raised it (e.g. a rule citation) wins; DRF's generic one does not."""
    detail = getattr(exc, "detail", None)
    default = getattr(exc, "default_detail", None)
    if detail is not None and not isinstance(detail, dict | list) and str(detail) != str(default):
        return str(detail)
    return _MESSAGES.get(status_code) or str(detail or "请求出错")


def exception_handler(exc, context):
    """Every API error as JSON {"code", "detail", "fields"}, detail in Chinese; `fields` names the
    fields at fault for invalid input and is `{}` otherwise. Anything else (a bug) is left to Django,
    whose 500 the API error middleware turns into the same shape."""
    exc = _as_drf_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = error_fields(response.data)
        response.data = error_body("invalid", _first_message(response.data) or "请求数据不正确", fields)
        return response
    if isinstance(exc, exceptions.ParseError):
        response.data = error_body("parse_error", "请求数据格式不正确，无法解析")
        return response
    code = _CODES.get(response.status_code) or getattr(exc, "default_code", "error")
    response.data = error_body(code, _detail(exc, response.status_code))
    return response


class ScopedViewSetMixin:
    """Reads through `.visible_to(user)`: an object outside the user's subtree answers 404.

    Safe methods use `scope_action`, writes `write_action`, so a user who may view but not change
    a record gets a 404 on a write, exactly as for a foreign record.
    """

    request: Any  # DRF's Request, set by the view the mixin is combined with (a GenericViewSet)
    scope_action = Action.VIEW
    write_action = Action.CHANGE

    def get_scope_action(self) -> str:
        return self.scope_action if self.request.method in ("GET", "HEAD", "OPTIONS") else self.write_action

    def get_queryset(self):
        if getattr(self, "queryset", None) is None and getattr(self, "model", None) is not None:
            queryset = self.model.objects.all()
        else:
            queryset = super().get_queryset()
        if not hasattr(queryset, "visible_to"):
            raise ImproperlyConfigured(f"{type(self).__name__}: queryset of {queryset.model} is not scoped")
        return queryset.visible_to(self.request.user, self.get_scope_action())

    def ensure_in_scope(self, org_path: str, action: str | None = None) -> None:
        """For creates: the target organisation must be inside the user's subtree, else 404."""
        if not scope_of(self.request.user).allows(action or self.write_action, org_path):
            raise exceptions.NotFound()


def error_response(
    code: str, detail: str, *, http_status=status.HTTP_400_BAD_REQUEST, fields=None, **extra
) -> Response:
    return Response(error_body(code, detail, fields, **extra), status=http_status)


class ErrorSerializer(serializers.Serializer):
    # The one error shape: every error answer has code, detail and fields (no docstring: it would
    # become the component's description in the OpenAPI).
    code = serializers.CharField(
        help_text="机器可读的错误代码，如 not_found、permission_denied、not_authenticated"
    )
    detail = serializers.CharField(help_text="中文说明")

    def get_fields(self):
        # Added here because a declared attribute named `fields` would shadow Serializer.fields.
        fields = super().get_fields()
        fields["fields"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="各字段（或查询参数）的错误信息：名称 → 错误列表；与具体字段无关时为 {}",
        )
        return fields


class ValidationErrorSerializer(ErrorSerializer):
    pass  # its own component, as the 400 answers' documentation names it


ERROR_RESPONSES = {
    400: OpenApiResponse(
        ValidationErrorSerializer, description="输入不正确（code=invalid），detail 为第一条中文错误"
    ),
    401: OpenApiResponse(ErrorSerializer, description="未登录或令牌无效（code=not_authenticated）"),
    403: OpenApiResponse(ErrorSerializer, description="无权执行该操作（code=permission_denied）"),
    404: OpenApiResponse(ErrorSerializer, description="未找到该记录，或不在您的管辖范围内（code=not_found）"),
    429: OpenApiResponse(
        ErrorSerializer, description="请求过于频繁或账号已被临时锁定（code=throttled / locked_out）"
    ),
}


def _expected_errors(method: str, path: str, needs_auth: bool, has_query: bool = False) -> list[int]:
    codes = []
    if method in ("POST", "PUT", "PATCH") or has_query:
        codes.append(400)
    if needs_auth:
        codes += [401, 403]
    if "{" in path:
        codes.append(404)
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        codes.append(429)  # qiangji.core.ratelimit.WriteRateThrottle: every write is rate-limited
    return codes


def _blank_model_choice(field) -> bool:
    """A read-only choice field over a model column that may be blank: DRF drops allow_blank from
    read-only fields, so the published enum would refuse the "" the answer can hold."""
    if not isinstance(field, serializers.ChoiceField) or not field.read_only or field.allow_blank:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or "" in field.choices:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except Exception:  # a property or an annotation, not a column
        return False
    return bool(getattr(model_field, "blank", False))


class AutoSchema(SpectacularAutoSchema):
    """Documents the 4xx answers every endpoint can give, so no app has to repeat them, and the blank
    value of an optional choice column in answers."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _blank_model_choice(field):
            field = copy.copy(field)  # documented with "" (as BlankEnum), the bound field left alone
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        needs_auth = bool(getattr(self.view, "permission_classes", ()))
        # A list's filters and limit/offset are validated: a bad value answers 400 with it named.
        has_query = (
            self.method == "GET"
            and self._is_list_view()
            and bool(self._get_filter_parameters() or self._get_pagination_parameters())
        )
        for code in _expected_errors(self.method, self.path, needs_auth, has_query):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    ERROR_RESPONSES[code], str(code), direction=direction
                )
        return responses


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", write_only=True)
    password = serializers.CharField(
        label="密码", write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="在请求头中使用：Authorization: Token <token>")


class TokenView(APIView):
    """Username and password for an API token; failures count towards the same lockout as the sign-in page."""

    authentication_classes = ()
    permission_classes = ()

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        auth=[],
        summary="获取 API 令牌",
        description="用户名和密码换取 API 令牌，之后在请求头中使用 `Authorization: Token <token>`。"
        "失败次数与网页登录合并计算：连续5次失败后账号临时锁定（429，code=locked_out）。",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, 400: ERROR_RESPONSES[400], 429: ERROR_RESPONSES[429]},
    )
    def post(self, request):
        from django.contrib.auth import authenticate

        from qiangji.core import services

        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes marks a lockout on it for its middleware.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": ["用户名或密码不正确，连续5次失败后账号将被临时锁定"]}
            )
        token = services.issue_token(actor=user)
        return Response({"token": token.key})


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField(help_text="操作的中文名称；未登记的代码原样返回")

    class Meta:
        model = AuditEntry
        fields = (
            "id",
            "created_at",
            "actor_name",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "target_repr",
            "org_path",
            "org_name",
            "before",
            "after",
            "request_id",
        )
        read_only_fields = fields

    def get_action_label(self, entry) -> str:
        return audit_labels.label_for(entry.action)


class AuditEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The audit log of the user's subtree (read-only: no code path changes an entry), same filters as the page."""

    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    scope_action = write_action = Action.AUDIT

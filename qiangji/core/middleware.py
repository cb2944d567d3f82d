import json
import logging
import uuid

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from qiangji.core.api import error_body_for_status
from qiangji.core.context import request_id

API_PREFIX = "/api/"
logger = logging.getLogger("qiangji.api")


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


def _with_fields(response):
    """A view's own JSON error ({"code", "detail"}: a lockout, a rule violation) gains `fields: {}`."""
    if getattr(response, "streaming", False) or len(response.content) > 65536:
        return response
    try:
        body = json.loads(response.content)
    except ValueError:
        return response
    if isinstance(body, dict) and "code" in body and "detail" in body and "fields" not in body:
        body["fields"] = {}
        response.content = json.dumps(body, ensure_ascii=False).encode()
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response


class ApiErrorMiddleware:
    """Under /api/ every error is JSON in the one error shape, never Django's HTML page.

    An exception no view handled (a bug) answers 500 {"code": "server_error", ...} and is logged with
    its traceback (logger "qiangji.api"); `got_request_exception` is still sent, so the test client
    re-raises it and error reporters see it. Any other non-JSON error answer under /api/ (Django's
    own 404 for an unknown address, a 500 raised in a middleware) is replaced by the generic JSON
    answer for its status, and a JSON error a view built itself without `fields` gains `fields: {}`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400:
            return response
        if _is_json(response):
            return _with_fields(response)
        replaced = JsonResponse(
            error_body_for_status(response.status_code),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "X-Request-ID"):
            if header in response:
                replaced[header] = response[header]
        return replaced

    def process_exception(self, request, exception):
        # Django answers these with a 4xx page, which __call__ turns into JSON.
        if not _is_api(request) or isinstance(
            exception, Http404 | PermissionDenied | BadRequest | SuspiciousOperation
        ):
            return None
        logger.error(
            "Unhandled exception on %s %s",
            request.method,
            request.get_full_path(),
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        signals.got_request_exception.send(sender=None, request=request)
        return JsonResponse(error_body_for_status(500), status=500, json_dumps_params={"ensure_ascii": False})


class RequestIdMiddleware:
    """Tag every request so that audit entries written while serving it can be grouped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user picked another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to English
    would open in English; the platform's working language is Chinese, English is opt-in.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

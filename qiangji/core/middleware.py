import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from qiangji.core.context import request_id


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

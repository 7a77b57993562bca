from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Swedish unless the user chose otherwise (language cookie), whatever the browser says.

    API clients may still ask for English with an Accept-Language header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.path.startswith("/api/"):
            header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
            language = translation.get_supported_language_variant(
                header.split(",")[0].split(";")[0].strip() or settings.LANGUAGE_CODE
            ) if header else None
            if language:
                language = language.split("-")[0]
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

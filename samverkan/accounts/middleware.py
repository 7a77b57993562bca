from django.urls import reverse

from . import otp

# Paths a user who still has to give their second factor may reach.
_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/", "/health/", "/account/two-factor/",
                  "/account/password-reset/", "/account/invitation/", "/api/v1/auth/token/",
                  "/oidc/")


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a logged-in user who has an authenticator, or whom
    the installation's rule (settings.TWO_FACTOR_REQUIRED_FOR) requires to have one, must
    confirm it before anything else (pages redirect; the API answers 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(_OPEN_PREFIXES) and request.path not in (
                reverse("login"), reverse("logout")):
            user = request.user
            if user.is_authenticated and not otp.is_verified(user):
                response = otp.challenge(request, force=False)
                if response is not None:
                    return response
        return self.get_response(request)

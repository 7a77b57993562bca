"""DRF throttles counting in the "throttle" cache (settings.CACHES)."""
from django.core.cache import caches
from rest_framework import throttling


class _ThrottleCache:
    cache = property(lambda self: caches["throttle"])


class AnonRateThrottle(_ThrottleCache, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ThrottleCache, throttling.UserRateThrottle):
    pass


class TokenEndpointThrottle(_ThrottleCache, throttling.AnonRateThrottle):
    """The token endpoint, per client address, whoever asks."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

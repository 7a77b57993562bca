"""A per-address limit for the public form and the Open311 endpoints (the cache holds the
counts, so with several server processes give them a shared cache, CACHE_URL)."""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

# (requests, seconds) per client address and scope; settings FAULTS_THROTTLE overrides.
DEFAULTS = {"report": (10, 3600), "open311_read": (300, 60), "open311_write": (10, 3600),
            "reopen": (10, 3600)}


def client_address(request) -> str:
    """The client's address; behind a TLS proxy (BEHIND_TLS_PROXY) the proxy's
    X-Forwarded-For gives it (its last entry, added by our own proxy)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, scope: str) -> bool:
    """Count one request of `scope` from the client's address; False when it is over the
    limit in the current window."""
    limits = {**DEFAULTS, **getattr(settings, "FAULTS_THROTTLE", {})}
    limit, window = limits[scope]
    bucket = int(time.time() // window)
    key = f"faults-throttle:{scope}:{client_address(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        return True
    return count <= limit

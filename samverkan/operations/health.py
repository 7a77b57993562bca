"""GET /health/ for load balancers: 200 and a small JSON body when the database and, where
configured, the shared cache and the job queue answer; 503 otherwise."""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    cache = caches["default"]
    key = "samverkan:health"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")


def _queue():
    if settings.TASKS_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").ping()
    else:  # the database queue: its table answers
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


def checks() -> dict:
    result = {"database": _database}
    if "locmem" not in settings.CACHES["default"]["BACKEND"].lower() and \
            "dummy" not in settings.CACHES["default"]["BACKEND"].lower():
        result["cache"] = _cache
    result["jobs"] = _queue
    return result


@never_cache
@require_GET
def health(request):
    started = time.monotonic()
    status, results = 200, {}
    for name, check in checks().items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            results[name] = f"error: {type(error).__name__}"
            status = 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable",
                         "checks": results,
                         "duration_ms": round((time.monotonic() - started) * 1000, 1)},
                        status=status)

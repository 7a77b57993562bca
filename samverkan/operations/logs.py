"""Structured logs: one line per request (logger `samverkan.request`) and security events
(logger `samverkan.security`), as JSON lines with LOG_FORMAT=json (settings.LOGGING)."""
from __future__ import annotations

import json
import logging
import time

_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "", (), None))) | {"message", "asctime"}

request_log = logging.getLogger("samverkan.request")
security_log = logging.getLogger("samverkan.security")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record):
        data = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        data.update({k: v for k, v in vars(record).items()
                     if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines with the extra fields as key=value."""

    def format(self, record):
        line = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in vars(record).items()
                         if k not in _STANDARD and not k.startswith("_"))
        return f"{line} {extra}" if extra else line


class RequestLogMiddleware:
    """Logs each request once: method, path, status, duration, user id; and refusals (403,
    429) as security events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        duration = round((time.monotonic() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        token = getattr(user, "api_token", None)
        fields = {"method": request.method, "path": request.path,
                  "status": response.status_code, "duration_ms": duration,
                  "user_id": user_id, "ip": request.META.get("REMOTE_ADDR")}
        if token is not None:
            fields["api_token"] = token.pk
        if not request.path.startswith("/static/"):
            request_log.info("%s %s %s", request.method, request.path, response.status_code,
                             extra=fields)
        if response.status_code in (403, 429):
            security_log.warning("access denied", extra={
                **fields, "event": "access_denied" if response.status_code == 403
                else "too_many_requests"})
        return response

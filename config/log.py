"""Structured logging to stderr: one JSON object a line, with the request id, user and path of the request
being served, and the traceback of an error. ``RequestContextMiddleware`` fills the context."""

import copy
import json
import logging
import traceback
from contextvars import ContextVar

#: The request this thread or task is serving, if any.
request_context: ContextVar = ContextVar("request_context", default=None)


def _request_fields() -> dict:
    """The request's id, method, path and user; the user only once the request loaded it (no query here)."""
    request = request_context.get()
    if request is None:
        return {}
    user = getattr(request, "_cached_user", None)
    return {
        "request_id": request.request_id,
        "method": request.method,
        "path": request.path,
        "user": user.get_username() if user is not None and user.is_authenticated else "",
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_request_fields(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class ClientErrorsAsWarnings(logging.Filter):
    """A request refused for the client's error (a 4xx: a regex lookup, a NUL byte, a denied page) is
    a warning without a traceback. Django logs a ``SuspiciousOperation`` at ERROR with its traceback:
    a scan of the site buried the server's own errors under hundreds of lines of expected refusals."""

    def filter(self, record: logging.LogRecord) -> logging.LogRecord | bool:
        status = getattr(record, "status_code", None)
        if status is None or not 400 <= status < 500:
            return True
        refusal = copy.copy(record)  # the other handlers (a test's capture) keep the record as logged
        refusal.levelno = min(record.levelno, logging.WARNING)
        refusal.levelname = logging.getLevelName(refusal.levelno)
        refusal.exc_info = refusal.exc_text = None
        return refusal


def logging_config(*, level: str, mail_admins: bool) -> dict:
    """``LOGGING``: everything at ``level`` and above to stderr as JSON (a client's error as a warning);
    server errors also mailed to ``ADMINS`` when there are any."""
    handlers = {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["client_errors"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    }
    request_handlers = ["stderr", "mail_admins"] if mail_admins else ["stderr"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"client_errors": {"()": ClientErrorsAsWarnings}},
        "handlers": handlers,
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "django": {"handlers": ["stderr"], "level": level, "propagate": False},
            "django.request": {"handlers": request_handlers, "level": level, "propagate": False},
            "django.server": {"handlers": ["stderr"], "level": level, "propagate": False},
            # WeasyPrint narrates every step of a PDF at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }

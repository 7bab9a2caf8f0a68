"""Language first, and the request's context for its log lines."""

import re
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .log import request_context

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class SiteLanguageFirstMiddleware:
    """Drop the browser's Accept-Language so ``LocaleMiddleware`` falls back to ``LANGUAGE_CODE`` (ja).

    Staff machines often run English browsers; the back-office still speaks Japanese to them
    until they switch (the switch sets the language cookie, which ``LocaleMiddleware`` honours). The API
    (``/api/``), the monitoring's endpoints (``/monitoring/``) and the health checks (``/health/``) answer other
    systems in the language they ask for.
    """

    MACHINE_PATHS = ("/api/", "/monitoring/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.MACHINE_PATHS):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Give every log line of a request its id (the proxy's ``X-Request-ID`` if sane, else a new one), user
    and path, and send the id back in the response so a user's report can be found in the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.set(request)
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds ``MAX_REQUEST_BYTES`` (413) before anything reads it.

    Django bounds form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it streams
    to disk whatever their size; the upload forms then refuse files over ``MAX_UPLOAD_BYTES`` by name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("The request is too large (%(size)s MB at most).") % {
                "size": settings.MAX_REQUEST_BYTES // (1024 * 1024)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

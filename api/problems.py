"""Every refusal of the API as RFC 9457 problem details (``application/problem+json``).

``code`` is stable (clients switch on it); ``title`` and ``detail`` speak the request's language
(``Accept-Language``), and a rule's refusal names its article as the admin does. ``errors`` lists each
message with the field it is about (a JSON pointer into the request body) and the message's own code.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from backoffice.exceptions import InvalidTransition, RuleRefusal

MEDIA_TYPE = "application/problem+json"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("The row changed since you read it: read it again, then send your change.")
    default_code = "stale-etag"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy("Send the row's ETag in If-Match, so that a change made meanwhile is not lost.")
    default_code = "if-match-required"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


#: (status, code, title) of each kind of refusal.
KINDS = {
    RuleRefusal: (422, "rule-refused", gettext_lazy("The terms refuse this")),
    InvalidTransition: (422, "invalid-transition", gettext_lazy("Not possible in this state")),
    DjangoValidationError: (422, "refused", gettext_lazy("Refused")),
}
TITLES = {
    "invalid": gettext_lazy("The request is not valid"),
    "parse_error": gettext_lazy("The request body is not valid JSON"),
    "authentication_failed": gettext_lazy("Not signed in"),
    "not_authenticated": gettext_lazy("Not signed in"),
    "permission_denied": gettext_lazy("Not allowed"),
    "not_found": gettext_lazy("Not found"),
    "method_not_allowed": gettext_lazy("Method not allowed"),
    "not_acceptable": gettext_lazy("Not acceptable"),
    "unsupported_media_type": gettext_lazy("Unsupported media type"),
    "throttled": gettext_lazy("Too many requests"),
    "stale-etag": gettext_lazy("Precondition failed"),
    "if-match-required": gettext_lazy("Precondition required"),
    "no-such-row": gettext_lazy("A row the request names does not exist"),
}
#: Codes of a field naming a row that does not exist (DRF's related fields).
ROW_MISSING = {"does_not_exist"}


def problem(status_code: int, code: str, title, detail="", errors=(), headers=None) -> Response:
    body = {"type": f"urn:backoffice:problem:{code}", "title": str(title), "status": status_code, "code": code}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = list(errors)
    return Response(body, status=status_code, headers=headers, content_type=MEDIA_TYPE)


def _pointer(field: str | None) -> str:
    return "#/" if field in (None, NON_FIELD_ERRORS, "non_field_errors") else f"#/{field}"


def _django_errors(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for each in errors:
                for message in each.messages:
                    yield {"pointer": _pointer(field), "detail": message, "code": each.code or "invalid"}
    else:
        for each in error.error_list:
            for message in each.messages:
                yield {"pointer": "#/", "detail": message, "code": each.code or "invalid"}


def _drf_errors(detail, path=""):
    if isinstance(detail, dict):
        for field, value in detail.items():
            name = "" if field in ("non_field_errors", NON_FIELD_ERRORS) else str(field)
            yield from _drf_errors(value, f"{path}/{name}" if name else path)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            yield from _drf_errors(value, f"{path}/{index}" if nested else path)
    else:
        code = getattr(detail, "code", None) or "invalid"  # a form's error may carry no code (django-filter's)
        yield {"pointer": f"#{path}" if path else "#/", "detail": str(detail), "code": code}


def handle(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: a service's ``ValidationError`` as the admin shows it, any API refusal as a
    problem; anything else is left to Django (a server error, logged)."""
    if isinstance(exc, DjangoValidationError):
        status_code, code, title = next(kind for cls, kind in KINDS.items() if isinstance(exc, cls))
        errors = list(_django_errors(exc))
        return problem(status_code, code, title, detail=errors[0]["detail"] if errors else "", errors=errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_drf_errors(exc.detail))
        if errors and all(error["code"] in ROW_MISSING for error in errors):
            # The body matches the schema (a 400 would say it does not) but names a row that does not exist.
            return problem(422, "no-such-row", TITLES["no-such-row"], errors[0]["detail"], errors, headers)
        return problem(400, "invalid", TITLES["invalid"], _("Some fields are not valid."), errors, headers)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return problem(exc.status_code, code.replace("_", "-"), TITLES.get(code, exc.default_detail), detail, (), headers)

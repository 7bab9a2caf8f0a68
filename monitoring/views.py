"""The endpoints the monitoring systems post to: ``/monitoring/alertmanager`` and ``/monitoring/zabbix``.

Each answers as soon as the request is kept (``intake``): 202 with what was kept, or an RFC 9457 problem
saying what was wrong (401/403 for the token or the address, 413 for a body over the limit, 400 for one that
cannot be read, which is kept all the same). Alertmanager treats a 4xx as final and a 5xx as a reason to
send again, so nothing here fails for a reason a resend would fix.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from backoffice.signin_locks import client_address

from . import intake, sources
from .choices import SourceKind

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, **({"detail": detail} if detail else {}), **extra}
    response = JsonResponse(body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="monitoring"'
    return response


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.MONITORING_MAX_BODY_BYTES
    except ValueError:
        return True


def _post(request, kind: str):
    address = client_address(request)
    try:
        source = sources.authenticate(request.headers.get("Authorization", ""), address)
    except sources.Refused as refusal:
        return problem(refusal.status, str(refusal))
    if source.kind != kind:
        return problem(
            403, _("This token is a %(kind)s source's: post to its own endpoint.") % {"kind": source.get_kind_display()}
        )
    limit = settings.MONITORING_MAX_BODY_BYTES
    if _too_large(request) or len(body := request.body) > limit:
        return problem(
            413, _("The body is larger than %(size)d KiB: lower max_alerts in the receiver.") % {"size": limit // 1024}
        )
    taken = intake.take(source, body, headers=request.headers, address=address)
    answer = intake.answer(taken)
    if taken.payload.error:
        return problem(400, answer.pop("title"), answer.pop("detail"), **answer)
    return JsonResponse(answer, status=202)


@csrf_exempt
@require_POST
def alertmanager(request):
    return _post(request, SourceKind.ALERTMANAGER)


@csrf_exempt
@require_POST
def zabbix(request):
    return _post(request, SourceKind.ZABBIX)

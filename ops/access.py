"""Who may read the health checks and the metrics: they tell how the back-office runs (its queues, its
backlog, its views), so not the public.

Let in, the cheapest test first: a request bearing ``HEALTH_TOKEN`` (``Authorization: Bearer …``, for a
Prometheus elsewhere), a client within ``HEALTH_ALLOWED_NETWORKS`` (this machine by default: a local agent,
``manage.py health_check``), or staff signed in to the admin with the second factor their role needs.
Anyone else gets 403.

The address is the client's: behind the TLS proxy, the one the proxy appended (``backoffice.signin_locks``).
A request relayed by a proxy the settings do not declare (``BEHIND_TLS_PROXY`` off, yet ``X-Forwarded-For`` or
``Forwarded`` present) has no address the list may trust: the connection's would be the proxy's own, often
127.0.0.1, and would let the whole internet in.
"""

from functools import cache
from ipaddress import ip_network

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _

from backoffice import bearer
from backoffice.signin import lacks_second_factor
from backoffice.signin_locks import client_address

RELAYED = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED")


def allowed(request) -> bool:
    return _bears_token(request) or _from_allowed_network(request) or _signed_in_staff(request)


def refusal() -> HttpResponseForbidden:
    return HttpResponseForbidden(
        _("Health and metrics are for signed-in staff, the monitoring's token or an allowed address."),
        content_type="text/plain; charset=utf-8",
    )


def _bears_token(request) -> bool:
    token = settings.HEALTH_TOKEN
    presented = bearer.presented(request.headers.get("Authorization", ""))
    return bool(token and presented) and bearer.matches(bearer.digest(token), presented)


def _from_allowed_network(request) -> bool:
    if not settings.BEHIND_TLS_PROXY and any(header in request.META for header in RELAYED):
        return False
    return bearer.within(_networks(tuple(settings.HEALTH_ALLOWED_NETWORKS)), client_address(request))


@cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _signed_in_staff(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and not lacks_second_factor(request)

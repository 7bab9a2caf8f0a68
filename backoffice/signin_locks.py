"""Sign-in lock-outs (django-axes): whose failures lock what, and which address is the client's.

A user name is locked after ``AXES_FAILURE_LIMIT`` failures, whatever the address: one person's typos lock
their own name, not the colleagues behind the same office address. A client address is locked only after
``AXES_ADDRESS_FAILURE_LIMIT`` failures (a guesser trying many names), and that lock never stops an active
superuser whose own name is not locked: their wrong tries still get the lock page (and count against their
name), the right password and code sign them in, so an admin can always reach the admin to lift the locks.
"""

from ipaddress import ip_address

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.shortcuts import render


def client_address(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``): behind the TLS proxy, the last entry of
    X-Forwarded-For, the one the proxy appended (those before it are whatever the client sent); otherwise,
    or when that entry is missing or not an address, the connection's."""
    if settings.BEHIND_TLS_PROXY:
        appended = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ip_address(appended))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def address_locked(request) -> bool:
    """Whether the request's address has failed ``AXES_ADDRESS_FAILURE_LIMIT`` times within the cool-off,
    whatever the names."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    return failures >= settings.AXES_ADDRESS_FAILURE_LIMIT


def _admin_name(username) -> bool:
    users = get_user_model()._default_manager
    return users.filter(**{users.model.USERNAME_FIELD: username}, is_superuser=True, is_active=True).exists()


class SigninLockHandler(AxesDatabaseHandler):
    """Axes' database handler (``AXES_HANDLER``), whose name lock (``AXES_LOCKOUT_PARAMETERS``) is joined by
    the address lock at its own, higher limit."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_locked(request) and not _admin_name(get_client_username(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_page(request, original_response=None, credentials=None):
    """The lock page (``AXES_LOCKOUT_CALLABLE``, status 429), naming the lock reached: the name's or the
    address's, with its limit."""
    name_locked = AxesProxyHandler.get_failures(request, credentials) >= settings.AXES_FAILURE_LIMIT
    context = {
        "by_address": not name_locked,
        "failure_limit": settings.AXES_FAILURE_LIMIT if name_locked else settings.AXES_ADDRESS_FAILURE_LIMIT,
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)

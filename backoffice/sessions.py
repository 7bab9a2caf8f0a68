"""Sessions extended every few minutes rather than written on every page.

A session ends ``SESSION_COOKIE_AGE`` (a working day) after it was last written. Django's
``SESSION_SAVE_EVERY_REQUEST`` writes it on every page to keep it going, a database write (and commit) per
request. Here a request extends a session only once its last extension is ``SESSION_REFRESH_SECONDS`` old: the
session then ends between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` after its
last request, and between extensions it is only read.
"""

import time

from django.conf import settings

#: When the session was last extended (seconds since the epoch), kept in the session.
EXTENDED_AT = "_extended_at"


class SessionRefreshMiddleware:
    """Extend a session the request used once its last extension is old, or whenever the request changed it
    anyway: the store writes it and the cookie is sent again, each with ``SESSION_COOKIE_AGE`` to live."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(EXTENDED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[EXTENDED_AT] = now
        return response


def signed_in(sender, request, user, **kwargs):
    """Receiver of ``user_logged_in``: a session begins extended (the sign-in writes it anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[EXTENDED_AT] = int(time.time())

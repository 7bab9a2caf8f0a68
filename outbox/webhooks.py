"""Webhooks as Standard Webhooks (https://www.standardwebhooks.com) have them: a POST of the JSON body with the
headers ``webhook-id`` (the message's, the same at every try, so a receiver drops a repeat),
``webhook-timestamp`` (this try's, in seconds) and ``webhook-signature`` (``v1,`` and the base64 HMAC-SHA256 of
``{id}.{timestamp}.{body}`` keyed with the secret's bytes); the secret reads ``whsec_`` and the base64 of its bytes.

The outbox sits below every app, so it does not read the subscriptions: the app that posts a topic's webhooks
registers ``secret(endpoint_id)`` (``backoffice.registry``, key ``outbox_secrets``), read at each try: a rotated
secret signs the tries after it."""

import base64
import hashlib
import hmac
import secrets
import urllib.error
import urllib.request
from datetime import datetime

from backoffice.registry import registry

PREFIX = "whsec_"
#: Seconds a receiver has to answer before the try counts failed.
TIMEOUT = 10


class Refused(Exception):
    """The receiver answered, but not 2xx: ``status`` is kept with the message."""

    def __init__(self, status: int, text: str):
        super().__init__(f"HTTP {status}: {text}" if text else f"HTTP {status}")
        self.status = status


def new_secret() -> str:
    """A new signing secret, ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()).decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 2xx: refused, not followed (a POST would become a GET)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def deliver(message, *, now: datetime) -> int:
    """POST ``message`` (a webhook row), signed as of ``now``; its HTTP status when 2xx, else ``Refused``
    (or the connection's own error)."""
    message_id, timestamp, body = f"msg_{message.pk}", int(now.timestamp()), message.body.encode()
    secret = registry["outbox_secrets"][message.topic](message.endpoint_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "isp-backoffice-webhooks",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
    request = urllib.request.Request(message.to, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        text = answer.read(200).decode(errors="replace").strip()
        raise Refused(answer.code, text) from None

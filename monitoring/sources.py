"""Issuing a monitoring source's bearer token, and knowing the source that presents one.

Each source has its own token (``mon_<id>_<random>``, ``backoffice.bearer``), shown once when issued or
issued again; the old one is refused from that moment. An allow-list, when given, narrows the addresses.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice import bearer
from backoffice.moves import lock, save_audited

from .models import Source

PREFIX = "mon_"


@transaction.atomic
def issue(source: Source, *, by) -> str:
    """Give ``source`` a new token (saving it, new or not) and return it: it is never shown again."""
    bearer.parse_networks(source.allowed_addresses)
    row = lock(source) if source.pk else source
    row.allowed_addresses, row.active = source.allowed_addresses, source.active
    row.token_prefix, secret = bearer.new_secret(PREFIX)
    row.token_digest, row.token_issued_at = bearer.digest(secret), timezone.now()
    save_audited(row, by=by, reason=_("Token issued") if source.pk is None else _("Token issued again"))
    source.pk, source.token_prefix = row.pk, row.token_prefix
    return secret


class Refused(Exception):
    """The request is not from a source we know; ``status`` is 401 (no or a wrong token) or 403 (the source is
    off, or the address is not on its list)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def authenticate(header: str, address: str | None) -> Source:
    """The source whose token the ``Authorization`` header presents, from ``address``; ``Refused`` otherwise."""
    presented = bearer.presented(header)
    if not presented:
        raise Refused(_("Send the source's token as “Authorization: Bearer <token>”."), 401)
    prefix = bearer.id_of(presented, PREFIX)
    source = Source.objects.filter(token_prefix=prefix).first() if prefix else None
    if source is None or not bearer.matches(source.token_digest, presented):
        raise Refused(_("The token is not valid."), 401)
    if not source.active:
        raise Refused(_("This monitoring source is switched off."), 403)
    if not bearer.address_allowed(source.allowed_addresses, address):
        raise Refused(_("This source may not post from this address."), 403)
    return source

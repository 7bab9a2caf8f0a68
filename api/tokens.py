"""Issuing, checking and revoking API tokens.

A token reads ``bo_<prefix>_<secret>`` (``backoffice.bearer``): the prefix finds its row, and only the SHA-256
digest of the whole token is stored. It acts with its user's permissions, read-only or read-write, until it
expires or is revoked, from the addresses its allow-list names.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from backoffice import bearer
from backoffice.moves import lock, save_audited
from backoffice.signin import two_factor_required

from .models import Access, ApiToken

PREFIX = "bo_"
#: ``last_used_at`` is written at most this often per token: a busy token would otherwise write on every read.
USE_RECORDED_EVERY = timedelta(minutes=1)


def check_may_hold(token: ApiToken) -> None:
    """Refuse a write token to a user whose role needs two-factor sign-in and who has not enrolled: the token
    would reach what their password alone cannot."""
    if token.access == Access.WRITE and two_factor_required(token.user) and not user_has_device(token.user):
        raise ValidationError(
            {"access": _("Your role signs in with two factors: enrol an authenticator before creating a write token.")}
        )
    if token.expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    bearer.parse_networks(token.allowed_addresses)


@transaction.atomic
def issue(token: ApiToken, *, by) -> str:
    """Save the new ``token`` and return the token itself, which is never shown again."""
    check_may_hold(token)
    token.prefix, secret = bearer.new_secret(PREFIX)
    token.digest = bearer.digest(secret)
    save_audited(token, by=by, reason=_("Token created"))
    return secret


@transaction.atomic
def revoke(token: ApiToken, *, by) -> ApiToken:
    row = lock(token)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        save_audited(row, by=by, reason=_("Token revoked"))
    return row


class Refused(Exception):
    """A token that does not let the request in; the message says why (to the caller, not the log)."""


def authenticate(presented: str, address: str | None) -> ApiToken:
    """The live token ``presented`` from ``address``, its use recorded; ``Refused`` with the reason otherwise."""
    prefix = bearer.id_of(presented, PREFIX)
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first() if prefix else None
    if token is None or not bearer.matches(token.digest, presented):
        raise Refused(_("The token is not valid."))
    if token.revoked_at is not None:
        raise Refused(_("The token was revoked."))
    if token.expires_at <= timezone.now():
        raise Refused(_("The token has expired."))
    if not token.user.is_active:
        raise Refused(_("The token's user is inactive."))
    if not bearer.address_allowed(token.allowed_addresses, address):
        raise Refused(_("The token may not be used from this address."))
    _record_use(token, address)
    return token


def _record_use(token: ApiToken, address: str | None) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY or token.last_used_from != address:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
        token.last_used_at, token.last_used_from = now, address

"""Bearer secrets other systems present (API tokens, monitoring sources): made, digested, matched, and the
address allow-lists that go with them.

A secret reads ``<prefix><id>_<random>``: the id finds its row, and only the SHA-256 digest of the whole
secret is stored. It carries 256 random bits, so a fast digest is as safe as a slow one would be, and
checking it costs a request nothing.
"""

import hashlib
import hmac
import secrets
from ipaddress import ip_address, ip_network

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> tuple[str, str]:
    """``(id, secret)``: a fresh id for the row and the whole secret, shown once."""
    row_id = secrets.token_hex(6)
    return row_id, f"{prefix}{row_id}_{secrets.token_urlsafe(32)}"


def id_of(presented: str, prefix: str) -> str:
    """The row id a presented secret names ("" when it names none)."""
    return presented.removeprefix(prefix).split("_", 1)[0] if presented.startswith(prefix) else ""


def matches(stored_digest: str, presented: str) -> bool:
    return hmac.compare_digest(stored_digest, digest(presented))


def parse_networks(text: str, *, field: str = "allowed_addresses") -> list:
    """The allow-list's networks, one per line or comma; a bad entry is refused by name on ``field``."""
    networks = []
    for entry in text.replace(",", "\n").split():
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError:
            raise ValidationError(
                {field: _("“%(entry)s” is not an address or a network.") % {"entry": entry}}
            ) from None
    return networks


def presented(header: str) -> str:
    """The secret an ``Authorization: Bearer <secret>`` header presents ("" when it presents none)."""
    scheme, _blank, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def within(networks, address: str | None) -> bool:
    """Whether ``address`` lies in one of ``networks``; no address, or one that is none, lies in none."""
    try:
        client = ip_address(address) if address else None
    except ValueError:
        return False
    return client is not None and any(client in network for network in networks)


def address_allowed(text: str, address: str | None) -> bool:
    """Whether ``address`` may present the secret whose allow-list is ``text`` (empty: any address)."""
    networks = parse_networks(text)
    return not networks or within(networks, address)

"""What the outbox's permissions give each role (declared in ``OutboxConfig.ready``).

Logistics, billing, and sales and support (the failure notices) read the e-mails their work sends and send
again one that could not go; which messages each sees is decided by topic (``topics``). The auditor reads
everything (``backoffice.roles``).
"""

from backoffice.roles import BILLING, LOGISTICS, SALES, permissions

GRANTS = {
    role: [*permissions("outbox", ["message"], "view"), "outbox.send_message"] for role in (LOGISTICS, BILLING, SALES)
}

"""Who may hold API tokens (declared in ``ApiConfig.ready``).

Every role creates, reads and revokes its own tokens; a token acts with its user's permissions, never more.
Only a superuser sees and revokes every user's tokens (``api.manage_every_token``).

No role manages webhook subscriptions (``api.*_webhooksubscription``): they send the back-office's events out,
so they are a superuser's, or of whoever a superuser gives those permissions by hand.
"""

from backoffice.roles import APPROVER, AUDITOR, BILLING, LOGISTICS, SALES, permissions

OWN_TOKENS = permissions("api", ["apitoken"], "view", "add", "change")

GRANTS = {role: OWN_TOKENS for role in (SALES, LOGISTICS, BILLING, APPROVER, AUDITOR)}

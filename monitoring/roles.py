"""What the monitoring app's permissions give each role (declared in ``MonitoringConfig.ready``).

Sales and support run operations: they read the alerts and what was received, record the network
identifiers that map alerts to contracts, and map an unmapped alert again. Billing reads the alerts an outage
and its credits rest on. No role manages the sources: their tokens let a system in, so they are a
superuser's (as the API's webhook subscriptions are). The auditor reads everything.
"""

from backoffice.roles import BILLING, SALES, permissions

EVIDENCE = ("alert", "payload", "receipt")

GRANTS = {
    SALES: [
        *permissions("monitoring", EVIDENCE, "view"),
        *permissions("monitoring", ["alert"], "map"),
        *permissions("monitoring", ["networkidentifier"], "view", "add", "change", "delete"),
    ],
    BILLING: [*permissions("monitoring", [*EVIDENCE, "networkidentifier"], "view")],
}

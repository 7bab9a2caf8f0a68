"""What the SLA app's permissions give each role (declared in ``SlaConfig.ready``).

Sales and support record outages, the contracts they hit and the failure notifications; billing records
the customers' claims and decides them (the credit reaches an invoice); the auditor reads everything
(``backoffice.roles``). Why: docs/decisions.md, "Quality guarantee (SLA)".
"""

from backoffice.roles import BILLING, SALES, permissions

RECORDS = ("outage", "affectedcontract", "failurenotification")
MONEY = ("claim", "credit")

GRANTS = {
    SALES: [
        *permissions("sla", ["outage", "failurenotification"], "view", "add", "change"),
        *permissions("sla", ["outage"], "confirm"),  # drafts from the monitoring's alerts
        *permissions("sla", ["affectedcontract"], "view", "change"),  # its own exclusion only
        *permissions("sla", MONEY, "view"),
    ],
    BILLING: [
        *permissions("sla", [*RECORDS, "credit"], "view"),
        *permissions("sla", ["claim"], "view", "add", "decide"),
    ],
}

"""What the provisions' permissions give each role (declared in ``ProvisionsConfig.ready``).

Sales and support keep what they agree with or ask of the customer (sites, consents, notices, addresses,
usage reports, traffic measurements and proposals, cloud disclosures);
logistics, who install the routers, record the sites too; billing reads; the auditor reads everything.
"""

from backoffice.roles import BILLING, LOGISTICS, SALES, permissions

RECORDS = (
    "installationsite",
    "consent",
    "unavailabilitynotice",
    "registeredaddress",
    "usagereportrequest",
    "trafficmeasurement",
    "clouddisclosure",
)

GRANTS = {
    SALES: permissions("provisions", RECORDS, "view", "add", "change"),
    LOGISTICS: [
        *permissions("provisions", ["installationsite"], "view", "add", "change"),
        *permissions("provisions", ["consent", "unavailabilitynotice"], "view"),
    ],
    BILLING: permissions("provisions", RECORDS, "view"),
}

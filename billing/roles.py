"""What the billing app's permissions give each role (declared in ``BillingConfig.ready``).

Billing staff open and run months and correct issued lines; the approver closes a month (issues its
invoices); sales reads invoices to answer customers; the auditor reads everything (backoffice.roles).
"""

from backoffice.roles import APPROVER, BILLING, SALES, permissions

MODELS = ("billingmonth", "invoice", "invoiceline", "invoicetax", "invoicedocument", "invoicecounter")
INVOICES = ("invoice", "invoiceline", "invoicetax", "invoicedocument")

GRANTS = {
    BILLING: [
        *permissions("billing", MODELS, "view"),
        *permissions("billing", ["billingmonth"], "add", "run"),
        "billing.correct_invoiceline",
    ],
    APPROVER: [*permissions("billing", MODELS, "view"), "billing.close_billingmonth"],
    SALES: permissions("billing", ["billingmonth", *INVOICES], "view"),
}

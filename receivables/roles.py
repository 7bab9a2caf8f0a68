"""What the receivables app's permissions give each role (declared in ``ReceivablesConfig.ready``).

Billing does all of receivables: imports bank files, records and matches payments, undoes a match,
registers transfer names; delivers a month's invoices, prints and posts the paper ones, runs dunning,
refunds credit and writes the transfer file, posts and exports the month's journal from the admin. The
auditor reads everything (``backoffice.roles``); no other role sees it.
"""

from backoffice.roles import BILLING, permissions

MODELS = ("bankfile", "payment", "transfername", "allocation", "receivable", "dunningnotice", "invoicedelivery",
          "refund", "refundpart", "journalbatch", "journalline")  # fmt: skip

GRANTS = {
    BILLING: [
        *permissions("receivables", MODELS, "view"),
        *permissions("receivables", ["bankfile", "payment", "transfername", "refund"], "add"),
        *permissions("receivables", ["transfername"], "change"),
        "receivables.match_payment",
        "receivables.resend_invoicedelivery",
        "receivables.deliver_invoicedelivery",
        "receivables.send_dunningnotice",
        "receivables.transfer_file_refund",
        "receivables.post_journalbatch",
    ],
}

"""What the customers app's permissions give each role (declared in ``CustomersConfig.ready``).

Sales registers customers and their related contracts and ends them; the other roles read them.
"""

from backoffice.roles import APPROVER, BILLING, LOGISTICS, SALES, permissions

MODELS = ("customer", "relatedcontract")

GRANTS = {
    SALES: [*permissions("customers", MODELS, "view", "add", "change"), "customers.end_relatedcontract"],
    LOGISTICS: permissions("customers", MODELS, "view"),
    BILLING: permissions("customers", MODELS, "view"),
    APPROVER: permissions("customers", MODELS, "view"),
}

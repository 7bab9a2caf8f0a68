"""What the contracts app's permissions give each role (declared in ``ContractsConfig.ready``).

Sales moves contracts and options through their lifecycle and accepts changes; billing owns the
catalog's prices, the frozen terms, the manual one-time fees and the abolition drafts; the approver
executes abolitions.
Why each action sits where it does: docs/decisions.md, "Roles and permissions".
"""

from backoffice.roles import APPROVER, BILLING, LOGISTICS, SALES, permissions

from .models.lifecycle import LIFECYCLE_ACTIONS

CATALOG = ("service", "item", "optionkind")
LIFECYCLE = ("contract", "contractoption")
SALES_ACTIONS = tuple(action for action in LIFECYCLE_ACTIONS if action != "override_terms")

GRANTS = {
    SALES: [
        *permissions("contracts", LIFECYCLE, "view", "add", "change", *SALES_ACTIONS),
        *permissions("contracts", ["bandwidtharea"], "view", "add", "change", "delete"),
        *permissions("contracts", ["contractchange", "datedprice", "onetimefee", *CATALOG, "abolition"], "view"),
    ],
    LOGISTICS: permissions("contracts", [*LIFECYCLE, "bandwidtharea"], "view"),
    BILLING: [
        *permissions("contracts", [*LIFECYCLE, "bandwidtharea", "contractchange", "datedprice"], "view"),
        *permissions("contracts", ["onetimefee"], "view", "add", "change"),
        *permissions("contracts", LIFECYCLE, "override_terms"),
        *permissions("contracts", CATALOG, "view", "change"),
        *permissions("contracts", ["item", "optionkind"], "add"),
        *permissions("contracts", ["abolition"], "view", "add", "change", "delete"),
    ],
    APPROVER: [
        *permissions(
            "contracts",
            [*LIFECYCLE, "bandwidtharea", "contractchange", "datedprice", "onetimefee", *CATALOG, "abolition"],
            "view",
        ),
        "contracts.execute_abolition",
    ],
}

"""Dependencies run one way: backoffice ← (jobs, outbox) ← customers ← contracts ← billing ← (equipment, sla) ←
demo, and contracts ← provisions ← demo; no module borrows another's private names."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (
    "backoffice",
    "jobs",
    "outbox",
    "customers",
    "contracts",
    "billing",
    "equipment",
    "sla",
    "provisions",
    "reports",
    "demo",
    "config",
)
DOMAIN = ("outbox", "customers", "contracts", "billing", "equipment", "sla", "provisions", "reports", "demo")


def _modules(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path):
    """``(module, names)`` of each import in ``path``, relative imports resolved to absolute modules."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(ROOT).parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            yield module, [alias.name for alias in node.names]


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("backoffice", (*DOMAIN, "jobs")),
        ("jobs", DOMAIN),
        ("outbox", (*DOMAIN[1:], "jobs")),
        ("customers", ("contracts", "billing", "equipment", "sla", "provisions", "reports", "demo")),
        ("contracts", ("billing", "equipment", "sla", "provisions", "reports", "demo")),
        ("billing", ("equipment", "sla", "provisions", "reports", "demo")),
        ("equipment", ("sla", "provisions", "reports", "demo")),
        ("reports", ("provisions", "demo")),
        ("sla", ("equipment", "provisions", "reports", "demo")),
        ("provisions", ("billing", "equipment", "sla", "reports", "demo")),
    ],
)
def test_an_app_imports_only_the_apps_below_it(app, forbidden):
    wrong = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _modules(app)
        for module, _ in _imports(path)
        if _top(module) in forbidden
    ]
    assert wrong == []


#: What billing may import of contracts: its public face (docs/contracts-api.md), its pure terms and choices;
#: the model classes only where a foreign key, the shared number ranges, an admin part or the settlement's
#: type check (``isinstance(row, Contract)``) needs them.
#: ``prices`` is pure like ``terms`` (the schedule of prices in force); ``services.prices`` is the one way another
#: app records a price (billing's price agreements).
CONTRACTS_FACE = {
    "contracts",
    "contracts.selectors",
    "contracts.signals",
    "contracts.terms",
    "contracts.prices",
    "contracts.choices",
    "contracts.services.prices",
}
BILLING_MODELS_MAY_USE = {"contracts.models", "contracts.models.ranges"}
MODEL_USERS = ("apps.py", "settlement.py")


def test_billing_reads_contracts_only_through_its_public_face():
    wrong = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _modules("billing")
        for module, names in _imports(path)
        if _top(module) == "contracts"
        and module not in CONTRACTS_FACE
        and not (module in BILLING_MODELS_MAY_USE and ("models" in path.parts or path.name in MODEL_USERS))
    ]
    assert wrong == []


#: What the SLA app may read of the apps below it: contracts' public face and billing's charge-source seam.
SLA_MAY_IMPORT = {
    "contracts": {"contracts.selectors", "contracts.choices", "contracts.terms", "contracts.models.ranges"},
    "billing": {"billing.sources", "billing.signals"},
    "customers": {"customers.models"},
}


def test_sla_reads_contracts_and_billing_only_through_their_public_modules():
    wrong = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _modules("sla")
        for module, names in _imports(path)
        if _top(module) in SLA_MAY_IMPORT
        and not ({module} | {f"{module}.{name}" for name in names}) & SLA_MAY_IMPORT[_top(module)]
    ]
    assert wrong == []


def test_no_module_imports_a_private_name_of_another_module():
    wrong = [
        f"{path.relative_to(ROOT)}: {module}.{name}"
        for app in (*PROJECT, "tests")
        for path in _modules(app)
        for module, names in _imports(path)
        if _top(module) in (*PROJECT, "tests")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert wrong == []

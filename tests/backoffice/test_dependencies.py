"""Dependencies run one way: backoffice ← (jobs, outbox) ← customers ← contracts ← (billing, provisions) ←
(equipment, sla, receivables) ← monitoring ← (reports, api) ← demo, and ops (health, metrics) reads what it watches;
an app reads another only through its public face (docs/faces.md); no module borrows another's private names, and no
module hides a circle in a function-level import."""

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
    "monitoring",
    "provisions",
    "receivables",
    "reports",
    "api",
    "demo",
    "ops",
    "config",
)


def _modules(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path):
    """``(module, names)`` of each import in ``path``, relative imports resolved to absolute modules."""
    for module, node in _import_nodes(path, ast.parse(path.read_text(encoding="utf-8"))):
        yield module, [alias.name for alias in node.names] if isinstance(node, ast.ImportFrom) else []


def _import_nodes(path: Path, tree):
    """``(module, node)`` of each import in ``tree``, the parsed ``path``."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(ROOT).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            yield ".".join(part for part in (base, node.module or "") if part), node
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node


def _top(module: str) -> str:
    return module.split(".")[0]


BELOW_CONTRACTS = ("backoffice", "jobs", "outbox", "customers")

#: The apps each app may import: those below it. ``config`` wires them all and is no app.
MAY_IMPORT = {
    "backoffice": (),
    "jobs": ("backoffice",),
    "outbox": ("backoffice",),
    "customers": ("backoffice", "jobs", "outbox"),
    "contracts": BELOW_CONTRACTS,
    "billing": (*BELOW_CONTRACTS, "contracts"),
    "provisions": (*BELOW_CONTRACTS, "contracts"),
    "equipment": (*BELOW_CONTRACTS, "contracts", "billing"),
    "sla": (*BELOW_CONTRACTS, "contracts", "billing"),
    "receivables": (*BELOW_CONTRACTS, "contracts", "billing"),
    "monitoring": (*BELOW_CONTRACTS, "contracts", "billing", "sla"),
    "reports": (*BELOW_CONTRACTS, "contracts", "billing", "equipment", "sla", "receivables"),
    "demo": (
        *BELOW_CONTRACTS,
        "contracts",
        "billing",
        "provisions",
        "equipment",
        "sla",
        "monitoring",
        "receivables",
        "reports",
    ),
    # The API reads and writes every domain app through its face, as the admin does; nothing imports it.
    "api": (*BELOW_CONTRACTS, "contracts", "billing", "provisions", "equipment", "sla", "receivables"),
    # Health checks and metrics read the queues they watch (jobs, outbox) and the failure notices due (sla).
    "ops": ("backoffice", "jobs", "outbox", "sla"),
}

#: Each app's public face (docs/faces.md): the modules another app may import, each with what is under it.
#: ``models`` and ``choices`` are an app's rows and their values (foreign keys, registrations, filters);
#: ``selectors`` reads, ``services`` writes, ``signals`` reactions, ``api`` pure calculations. The shared core
#: (``backoffice``) is a toolkit: every module of it is public.
FACES = {
    "jobs": {
        "jobs.models",
        "jobs.kinds",
        "jobs.services",
        "jobs.tasks",
        "jobs.pages",
        "jobs.uploads",
        "jobs.acts",
        "jobs.files",
        "jobs.signals",
        "jobs.selectors",
    },
    "outbox": {
        "outbox.models",
        "outbox.choices",
        "outbox.sending",
        "outbox.topics",
        "outbox.attachments",
        "outbox.waiting",
        "outbox.webhooks",
        "outbox.signals",
    },
    "customers": {"customers.models", "customers.choices"},
    "contracts": {
        "contracts.models",
        "contracts.choices",
        "contracts.selectors",
        "contracts.services",
        "contracts.signals",
        "contracts.api",
        "contracts.importer",
    },
    "billing": {
        "billing.models",
        "billing.signals",
        "billing.sources",
        "billing.api",
        "billing.invoice_pdf",
        "billing.run",
        "billing.closing",
        "billing.corrections",
    },
    "provisions": {"provisions.models"},
    "equipment": {"equipment.models", "equipment.choices", "equipment.selectors", "equipment.services"},
    "sla": {"sla.models", "sla.services", "sla.signals", "sla.credits"},
    "monitoring": {"monitoring.models", "monitoring.intake", "monitoring.processing"},
    "receivables": {
        "receivables.models",
        "receivables.selectors",
        "receivables.services",
        "receivables.matching",
        "receivables.signals",
    },
    "reports": {"reports.sections"},
    "api": set(),
    "demo": set(),
    "ops": set(),
}


def _cross_app_imports(app: str):
    """``(path, module, names)`` of each import ``path`` in ``app`` makes of another project app."""
    for path in _modules(app):
        for module, names in _imports(path):
            if _top(module) in MAY_IMPORT and _top(module) != app:
                yield path, module, names


def _on_face(module: str, names: list[str]) -> bool:
    """``module`` is a face module (``from app import face`` names it), or a module of a ``services`` package."""
    faces = FACES[_top(module)]
    if module == _top(module):
        return all(f"{module}.{name}" in faces for name in names)
    return module in faces or any(module.startswith(f"{face}.") for face in faces if face.endswith(".services"))


def test_every_app_is_listed():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} - {"config"}  # config wires the apps
    assert apps == set(MAY_IMPORT)
    assert set(FACES) == apps - {"backoffice"}


@pytest.mark.parametrize("app", MAY_IMPORT)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}: {module}"
        for path, module, _ in _cross_app_imports(app)
        if _top(module) not in MAY_IMPORT[app]
    ]
    assert wrong == []


@pytest.mark.parametrize("app", MAY_IMPORT)
def test_an_app_reads_another_only_through_its_public_face(app):
    wrong = [
        f"{path.relative_to(ROOT)}: {module} {names}"
        for path, module, names in _cross_app_imports(app)
        if _top(module) != "backoffice" and not _on_face(module, names)
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


def _function_level_imports(path: Path):
    """The project modules ``path`` imports inside a function, ``ready`` of an app's config aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        and not (path.name == "apps.py" and function.name == "ready")
        for node in ast.walk(function)
    }
    return {module for module, node in _import_nodes(path, tree) if id(node) in inner}


def test_no_module_hides_a_circle_in_a_function_level_import():
    """A module imports the project's modules at its top, so a circle fails at start-up instead of hiding in a
    function; only an ``AppConfig.ready`` imports at run time, by design (the models are loaded by then)."""
    found = {
        (str(path.relative_to(ROOT)), module)
        for app in PROJECT
        for path in _modules(app)
        for module in _function_level_imports(path)
        if _top(module) in PROJECT
    }
    assert found == set()

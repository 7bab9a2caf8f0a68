"""Each test process's database: a copy of a template migrated once, instead of a migration of its own.

Migrating costs about a minute of CPU (most of it Django rendering the migration states), and every
pytest-xdist worker used to pay it. Now the first process in migrates a template, under a file lock the
others wait on, and each process copies it: PostgreSQL creates the worker's database from the template
database, SQLite copies the template file into the worker's in-memory database (sqlite3's backup). The
template outlives the run; it is rebuilt when a migration, or a project module a migration imports (the
catalog it loads), changes, and once per run under ``--create-db``. A copy runs post_migrate again, as a
migrate ends, so the role groups and their permissions follow the code that declares them.
"""

import fcntl
import hashlib
import importlib
import importlib.util
import os
import re
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader

IMPORTED = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][\w.]*)", re.MULTILINE)


def migrations_key() -> str:
    """A hash of every app's migrations, the project modules they import, Django's version, and whether the
    schema is migrated at all (``--no-migrations`` builds it from the models)."""
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}
    digest = hashlib.sha256(f"{django.get_version()} {connection.settings_dict['TEST']['MIGRATE']}".encode())
    imported = set()
    for config in apps.get_app_configs():
        name, _explicit = MigrationLoader.migrations_module(config.label)
        try:
            package = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for path in sorted(Path(package.__path__[0]).glob("*.py")):
            source = path.read_text()
            digest.update(source.encode())
            imported.update(module for module in IMPORTED.findall(source) if module.split(".")[0] in ours)
    for module in sorted(imported):
        digest.update(Path(importlib.util.find_spec(module).origin).read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def locked(path: Path):
    """Hold an exclusive lock on ``path`` (created if missing); yields the file, which notes the last build."""
    with open(path, "a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        yield file


def use_test_database() -> None:
    """Point the connection, and the settings, at this process's test database (as create_test_db does)."""
    name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = name


class SQLiteTemplate:
    """A database file in the temporary folder, named by the migrations' key."""

    def __init__(self, key: str):
        self.path = Path(tempfile.gettempdir()) / f"backoffice-test-schema-{key}.sqlite3"
        self.name = self.path.name
        self.lock = self.path.with_suffix(".lock")

    def current(self) -> bool:
        return self.path.exists()

    def build(self, verbosity: int) -> None:
        """Migrate this process's own database, then save it as the template."""
        connection.creation.create_test_db(verbosity, autoclobber=True)
        partial = self.path.with_suffix(".partial")
        target = sqlite3.connect(partial)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        partial.replace(self.path)

    def copy(self) -> None:
        """Load the template into this process's database."""
        use_test_database()
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        source.backup(connection.connection)
        source.close()


class PostgresTemplate:
    """A template database beside the test databases; its comment holds the migrations' key."""

    def __init__(self, key: str):
        self.key = key
        self.name = f"{connection.creation._get_test_db_name().removesuffix(worker_suffix())}_template"
        self.lock = Path(tempfile.gettempdir()) / f"backoffice-{self.name}.lock"

    def _comment(self, name: str) -> str | None:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cursor.fetchone()
        return row and (row[0] or "")

    def current(self) -> bool:
        return self._comment(self.name) == self.key

    def build(self, verbosity: int) -> None:
        """Migrate the template database (dropped first if stale), mark it with the key, and copy it."""
        test = connection.settings_dict["TEST"]
        worker, test["NAME"] = test["NAME"], self.name
        try:
            connection.creation.create_test_db(verbosity, autoclobber=True)
        finally:
            test["NAME"] = worker
            connection.close()
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {quote(self.name)} IS %s", [self.key])
        self.copy()

    def copy(self) -> None:
        """Create this process's database from the template (which no session may hold open meanwhile)."""
        quote = connection.ops.quote_name
        name = connection.creation._get_test_db_name()
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(self.name)}")
        use_test_database()


def worker_suffix() -> str:
    """pytest-django's suffix on a pytest-xdist worker's test database name ("_gw0"), or none."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"_{worker}" if worker else ""


def set_up(*, verbosity: int, rebuild: bool, run: str) -> str:
    """Give this process its test database; returns the database's own name, for ``tear_down``.

    Each run copies the template afresh, ``--reuse-db`` too: the template is what is reused, and a kept
    worker database may have been flushed by the last transactional test. ``rebuild`` (``--create-db``)
    builds the template again, once for the run ``run``.
    """
    old_name = connection.settings_dict["NAME"]
    template = (SQLiteTemplate if connection.vendor == "sqlite" else PostgresTemplate)(migrations_key())
    with locked(template.lock) as note:
        built = not template.current() or (rebuild and note.read() != run)
        if built:
            template.build(verbosity)
            note.truncate(0)
            note.write(run)
        else:
            if verbosity >= 1:
                connection.creation.log(f"Copying the test database's schema from {template.name}...")
            template.copy()
    if not built:
        emit_post_migrate_signal(0, False, connection.alias)
    return old_name


def tear_down(old_name: str, *, verbosity: int, keepdb: bool) -> None:
    """Drop this process's test database, unless ``--reuse-db`` keeps it to be looked at. On PostgreSQL a
    session a test's thread left open (a live server's, a worker's) would refuse the drop: it is ended first."""
    if connection.vendor == "postgresql" and not keepdb:
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
    connection.creation.destroy_test_db(old_name, verbosity, keepdb)

"""Behind a transaction pooler (DATABASE_POOLER=transaction): no server-side cursor and no setting made for the
session, since the next transaction on that server connection may be another client's. The two-node run
(scripts/cluster.sh, tests/cluster) runs the whole application through PgBouncer; these pin the settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections

from config import web

pytestmark = pytest.mark.django_db


def settings_under(**env) -> subprocess.CompletedProcess:
    """Import the production settings in a new process with ``env`` and print what the pooler changes."""
    code = (
        "import config.settings as s; "
        "d = s.DATABASES['default']; "
        "print(s.DATABASE_POOLER, d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "d.get('OPTIONS', {}).get('prepare_threshold', 5))"
    )
    environment = {**os.environ, "DEBUG": "true", "DATABASE_URL": "postgres://backoffice@127.0.0.1:6432/db", **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)


def test_a_transaction_pooler_turns_server_side_cursors_and_prepared_statements_off():
    assert settings_under(DATABASE_POOLER="transaction").stdout.split() == ["transaction", "True", "None"]
    assert settings_under(DATABASE_POOLER="").stdout.split() == ["False", "5"]  # an empty name prints nothing


def test_an_unknown_pooling_mode_refuses_to_start():
    refused = settings_under(DATABASE_POOLER="session")
    assert refused.returncode != 0
    assert "DATABASE_POOLER is empty or 'transaction', not 'session'" in refused.stderr


@pytest.mark.parametrize("pooler, limit", [("", f"{settings.WEB_STATEMENT_TIMEOUT_MS // 1000}s"), ("transaction", "0")])
def test_the_web_sets_its_statement_limit_for_the_session_only_without_a_pooler(on_postgres, settings, pooler, limit):
    settings.DATABASE_POOLER = pooler
    web.limit_statement_time()
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")  # the test database's role has no limit of its own
            assert cursor.fetchone()[0] == limit
    finally:
        connection.close()
        web.connection_created.disconnect(dispatch_uid="web_statement_timeout")


@pytest.mark.parametrize("pooled, declared", [(False, 1), (True, 0)])
def test_a_querysets_iterator_declares_no_cursor_behind_a_pooler(on_postgres, django_user_model, pooled, declared):
    django_user_model.objects.create_user("one")
    default = connections["default"]
    kept = default.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False)
    default.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = pooled
    try:
        rows = django_user_model.objects.values_list("username", flat=True).iterator(chunk_size=10)
        assert next(rows) == "one"
        with default.cursor() as cursor:  # while the iterator reads: a DECLAREd cursor would be listed
            cursor.execute("SELECT count(*) FROM pg_cursors")
            assert cursor.fetchone()[0] == declared
        assert list(rows) == []
    finally:
        default.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = kept

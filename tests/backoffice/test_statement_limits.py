"""A transaction's own statement limit (SET LOCAL): what the health checks use, safe behind a transaction pooler."""

import pytest
from django.db import OperationalError, connection

from backoffice.statement_limits import limited

pytestmark = pytest.mark.django_db


def timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def sleep(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])


def test_a_statement_over_the_limit_stops_and_the_limit_ends_with_the_block(on_postgres):
    before = timeout()
    with pytest.raises(OperationalError, match="statement timeout"), limited(100):
        sleep(1)
    assert timeout() == before  # the savepoint's rollback restored it


def test_a_block_within_its_limit_leaves_the_outer_limit_as_it_was(on_postgres):
    before = timeout()
    with limited(5_000):
        assert timeout() == "5s"
        sleep(0.01)
    assert timeout() == before  # the test's transaction goes on: the released savepoint is given it back


def test_on_sqlite_the_block_is_a_transaction():
    with limited(100):
        assert connection.in_atomic_block

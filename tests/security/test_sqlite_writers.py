"""SQLite under two simultaneous writers: the second waits for the first instead of failing with
"database is locked" (finding 8). A database file of its own, outside the test database."""

import threading
import time

import pytest
from django.db import connections, transaction


def test_two_sqlite_writers_that_read_first_wait_for_each_other_instead_of_failing(tmp_path, django_db_blocker):
    options = {**connections["default"].settings_dict}
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite's locking")
    options.update(NAME=str(tmp_path / "shared.sqlite3"), TEST={})
    connections.settings["shared"] = options
    errors = []

    def write():
        try:
            with transaction.atomic(using="shared"), connections["shared"].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM counter")  # read first, as a service checks its rules
                time.sleep(0.3)
                cursor.execute("INSERT INTO counter VALUES (1)")
        except Exception as error:  # noqa: BLE001  (what the second writer met is the result)
            errors.append(error)
        finally:
            connections["shared"].close()

    try:
        django_db_blocker.unblock()
        with connections["shared"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE counter (n INTEGER)")
        writers = [threading.Thread(target=write) for _ in range(2)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        assert errors == []
        with connections["shared"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM counter")
            assert cursor.fetchone() == (2,)
    finally:
        connections["shared"].close()
        del connections.settings["shared"]
        django_db_blocker.restore()

"""While a worker holds a source (its payloads are worked one at a time), the intake still inserts the source's
payloads: their foreign key's ``FOR KEY SHARE`` must not wait for the worker's lock (PostgreSQL)."""

import pytest
from django.db import OperationalError, connection, connections, transaction

from monitoring.processing import lock_source
from tests.monitoring import builders as b

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_a_payload_is_kept_while_a_worker_holds_its_source():
    source, _token = b.source()
    other = connections.create_connection("default")
    try:
        with transaction.atomic(), other.cursor() as cursor:
            lock_source(source.pk)
            cursor.execute("SET lock_timeout = '1s'")
            cursor.execute("SELECT 1 FROM monitoring_source WHERE id = %s FOR KEY SHARE", [source.pk])
            assert cursor.fetchone() == (1,)
            with pytest.raises(OperationalError, match="could not obtain lock"):  # one source, one worker
                cursor.execute("SELECT 1 FROM monitoring_source WHERE id = %s FOR NO KEY UPDATE NOWAIT", [source.pk])
    finally:
        other.close()

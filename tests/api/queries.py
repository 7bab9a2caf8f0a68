"""What a page of the API costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url) -> int:
    """The queries one read of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as done:
        response = client.get(url)
    assert response.status_code == 200
    return len(done.captured_queries)

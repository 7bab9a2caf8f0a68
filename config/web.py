"""What only the web process does: on PostgreSQL each statement of a request stops after
``WEB_STATEMENT_TIMEOUT_MS``, so a costly query cannot hold a worker and its locks for minutes.
Commands (the monthly run, the reports) are not limited."""

from django.conf import settings
from django.db.backends.signals import connection_created


def _limit_statements(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and settings.WEB_STATEMENT_TIMEOUT_MS:
        with connection.cursor() as cursor:
            limit = str(settings.WEB_STATEMENT_TIMEOUT_MS)
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [limit])


def limit_statement_time() -> None:
    """Apply the statement timeout to every database connection this process opens from now on."""
    connection_created.connect(_limit_statements, dispatch_uid="web_statement_timeout")

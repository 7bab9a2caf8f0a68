"""What only the web process does: on PostgreSQL each statement of a request stops after
``WEB_STATEMENT_TIMEOUT_MS``, so a costly query cannot hold a worker and its locks for minutes.
Commands (the monthly run, the reports) are not limited.

Behind a transaction pooler (``DATABASE_POOLER``) a setting made for the session would stay on a server
connection that other clients, the workers among them, are handed next: the web sets nothing there, and the
limit is the web's database role's own (``ALTER ROLE … SET statement_timeout``), which PostgreSQL applies to
every transaction of that role's connections, whoever the pooler hands them to."""

from django.conf import settings
from django.db.backends.signals import connection_created


def _limit_statements(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and settings.WEB_STATEMENT_TIMEOUT_MS and not settings.DATABASE_POOLER:
        with connection.cursor() as cursor:
            limit = str(settings.WEB_STATEMENT_TIMEOUT_MS)
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [limit])


def limit_statement_time() -> None:
    """Apply the statement timeout to every database connection this process opens from now on."""
    connection_created.connect(_limit_statements, dispatch_uid="web_statement_timeout")

"""When the data a report reads last changed: the newest entry of the history of every audited model of
the apps the report reads. Every change is audited (django-simple-history), so a report made after that
moment is current; one made before it is prepared again."""

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.models import registered_models

#: The apps whose rows the monthly report reads.
READ_APPS = ("customers", "contracts", "billing", "equipment", "sla", "provisions")


def newest_change() -> datetime | None:
    """The time of the newest change to any row the report reads: one query, an indexed ``MAX`` per
    history table, joined by ``UNION ALL`` (the dashboard asks on every visit)."""
    quote = connection.ops.quote_name
    tables = sorted(
        model.history.model._meta.db_table for model in registered_models.values() if model._meta.app_label in READ_APPS
    )
    if not tables:
        return None
    newest = " UNION ALL ".join(f"SELECT MAX({quote('history_date')}) AS newest FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(newest) FROM ({newest}) AS changes")
        (value,) = cursor.fetchone()
    if isinstance(value, str):  # SQLite gives the UTC text it stored, as the ORM's converter would read it
        value = timezone.make_aware(parse_datetime(value), UTC)
    return value

"""When the data a report reads last changed: the newest entry of the history of every audited model of
the apps the report reads. Every change is audited (django-simple-history), so a report made after that
moment is current; one made before it is prepared again."""

from datetime import datetime

from django.db.models import Max
from simple_history.models import registered_models

#: The apps whose rows the monthly report reads.
READ_APPS = ("customers", "contracts", "billing", "equipment", "sla", "provisions")


def newest_change() -> datetime | None:
    """The time of the newest change to any row the report reads (one indexed lookup per audited model)."""
    times = [
        model.history.aggregate(newest=Max("history_date"))["newest"]
        for model in registered_models.values()
        if model._meta.app_label in READ_APPS
    ]
    return max(filter(None, times), default=None)

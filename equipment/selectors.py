"""What other apps read of equipment beyond its models (the monthly report): conditions that carry a rule."""

from django.db.models import Q
from django.utils import timezone

from .choices import AWAITED_STATES


def overdue_q(today=None) -> Q:
    """Units awaited whose return deadline had passed on ``today`` (a past month's end for the monthly report):
    a unit flagged "not returned" later, for a deadline after that day, was not overdue then."""
    today = today or timezone.localdate()
    return Q(status__in=AWAITED_STATES, return_deadline__lt=today)

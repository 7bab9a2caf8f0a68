"""What other apps read of equipment beyond its models (the monthly report, the API): conditions that carry a
rule, and the lists staff work from."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AWAITED_STATES, UnitState


def overdue_q(today=None) -> Q:
    """Units awaited whose return deadline had passed on ``today`` (a past month's end for the monthly report):
    a unit flagged "not returned" later, for a deadline after that day, was not overdue then."""
    today = today or timezone.localdate()
    return Q(status__in=AWAITED_STATES, return_deadline__lt=today)


#: The unit worklists: name → (label, condition).
UNIT_WORKLISTS = {
    "to_ship": (_("Units to ship"), lambda: Q(status=UnitState.ASSIGNED)),
    "to_install": (_("Units to install"), lambda: Q(status=UnitState.SHIPPED)),
    "to_collect": (_("Units to collect"), lambda: Q(status=UnitState.RETURN_REQUESTED)),
    "overdue": (_("Overdue returns"), overdue_q),
    "failures": (
        _("Failures to investigate"),
        lambda: Q(status__in=(UnitState.FAILURE_REPORTED, UnitState.UNDER_INVESTIGATION)),
    ),
}

#: Who holds a unit: name → (label, condition).
HOLDERS = {
    "stock": (_("In our hands"), Q(contract__isnull=True, option__isnull=True)),
    "contract": (_("Managed Router contracts"), Q(contract__isnull=False)),
    "option": (_("Router rental options"), Q(option__isnull=False)),
}

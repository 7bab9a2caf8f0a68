"""``seed_demo``: every app's demo data, added by its contributor in order.

A contributor is a function ``(seed, user) -> list[str]`` that creates what is missing of its part
of the data set (so a second run changes nothing) and returns lines for the command to print, in the
active language. An app that brings demo data adds its contributor here, after those whose data it
builds on, with the name the command announces before it starts (a newcomer sees progress, not a hang).
"""

import time
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import billing_data, contract_data, equipment_data, monitoring_data, receivables_data, report_data, sla_data
from .login import demo_user

DEFAULT_SEED = 2026

#: Called in this order: customers and contracts first, then what refers to them.
CONTRIBUTORS = [
    (gettext_lazy("customers and contracts"), contract_data.contribute),
    (gettext_lazy("rented equipment"), equipment_data.contribute),
    (gettext_lazy("quality guarantee (SLA)"), sla_data.contribute),
    (gettext_lazy("billing (invoices; the task worker renders their PDFs)"), billing_data.contribute),
    (gettext_lazy("receivables (payments, matches, dunning)"), receivables_data.contribute),
    (gettext_lazy("monthly report"), report_data.contribute),
    (gettext_lazy("monitoring alerts (outages from the alerts, failure notices)"), monitoring_data.contribute),
]


def seed(seed: int = DEFAULT_SEED, user=None) -> Iterator[str]:
    """Each contributor in turn: a line as it starts, its summary lines and its time as it ends."""
    user = user or demo_user()
    for number, (name, contribute) in enumerate(CONTRIBUTORS, start=1):
        yield _("[%(n)d/%(total)d] %(part)s…") % {"n": number, "total": len(CONTRIBUTORS), "part": name}
        started = time.monotonic()
        lines = contribute(seed, user)
        yield from (f"    {line}" for line in lines)
        yield "    " + _("done in %(seconds).1f s") % {"seconds": time.monotonic() - started}

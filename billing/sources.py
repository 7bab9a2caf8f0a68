"""Charge sources: how the apps that produce charges or credits hand them to the monthly run.

Billing imports none of those apps. Each registers one source in its ``AppConfig.ready()``::

    from backoffice.registry import register
    register("charge_sources", approved_charges, name="equipment.charges")

A source is called with the billing month (``backoffice.months.Month``) and yields a ``Charge`` for
everything it holds that is due on or before the month's last day and not yet invoiced. Its
``source_key`` names the thing charged, stably (``"equipment.charge:42"``; a recurring fee names its
month too): the run bills each key's amount less what issued invoices already charged for it, so a
key offered again after it was invoiced adds nothing, and a late one lands in the next open month.
When a month closes, billing sends ``billing.signals.charges_invoiced`` so the source's app can
record that its charges reached an invoice.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.months import Month
from backoffice.registry import registry


class FeeKind(models.TextChoices):
    """What a line charges, as SPEC §1 names the charges (and the reports group revenue)."""

    INITIAL = "initial", _("Initial fee")
    MONTHLY = "monthly", _("Monthly fee")
    ONE_TIME = "one_time", _("One-time fee")
    SETTLEMENT = "settlement", _("Early-termination settlement")
    CREDIT = "credit", _("Credit")
    ADJUSTMENT = "adjustment", _("Adjustment")


@dataclass(frozen=True)
class Charge:
    """One line a source asks the run to invoice. ``amount`` is yen before tax; credits are negative."""

    source_key: str
    customer_id: int
    kind: FeeKind
    description: str
    amount: int
    occurred_on: date
    contract_id: int | None = None
    service_code: str = ""
    #: For a line priced per unit (ISP Platform lines, 100 Mbps units, rented routers): ``amount`` = both multiplied.
    quantity: int | None = None
    unit_price: int | None = None


Source = Callable[[Month], Iterable[Charge]]


def ids_under(prefix: str, lines: Mapping[str, object]) -> dict[int, object]:
    """``{id: value}`` of the keys ``<prefix><id>`` among ``lines`` (a ``charges_invoiced`` mapping): how a
    source's app finds its own rows among what billing issued. Other keys are not its own and are skipped."""
    ids = {}
    for key, value in lines.items():
        number = key.removeprefix(prefix)
        if key.startswith(prefix) and number.isdigit():
            ids[int(number)] = value
    return ids


def registered() -> dict[str, Source]:
    """The sources by name (``"<app>.<what>"``), in the order they were registered."""
    return dict(registry["charge_sources"])

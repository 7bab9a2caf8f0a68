"""What equipment hands to the monthly billing run (``billing.sources``): approved charges and router rental
cancellation fees, each once; a charge hears back that it was invoiced (``billing.signals.charges_invoiced``).

The cancellation fees are derived here and only here, from durable facts: an option
the customer stopped by notice (ISP Platform art. 7 ¶9) owes its routers × the fee per router, and an
accepted change lowering the count owes the routers given back × the fee (annex 1 §3 (3)), read from the
change's typed counts. Keys already on an issued invoice are not offered again.
"""

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from backoffice.months import Month
from backoffice.moves import move_all
from billing.models import InvoiceLine, MonthState
from billing.sources import Charge as BillingCharge
from billing.sources import FeeKind, ids_under
from contracts import selectors
from contracts.choices import ServiceCode

from .choices import ChargeState
from .models import Charge

CHARGE_PREFIX = "equipment.charge:"
STOP_PREFIX = "equipment.rental_stop:"
REDUCTION_PREFIX = "equipment.rental_reduction:"


def approved_charges(month: Month):
    """Approved charges not yet invoiced, approved on or before the month's last day (one query)."""
    rows = Charge.objects.filter(status=ChargeState.APPROVED, decided_on__lte=month.last_day).select_related(
        "incident__unit", "incident__contract", "incident__option__contract"
    )
    for charge in rows.order_by("pk"):
        incident = charge.incident
        contract = incident.contract or incident.option.contract
        yield BillingCharge(
            source_key=charge.source_key,
            customer_id=contract.customer_id,
            kind=FeeKind.ONE_TIME,
            description=f"{charge.get_kind_display()} ({incident.unit.serial})",
            amount=charge.amount,
            occurred_on=charge.decided_on,
            contract_id=contract.pk,
            service_code=contract.service_id,
        )


def _issued(prefix: str) -> Exists:
    """Whether the row's key (``prefix`` + its id) is on an issued invoice."""
    key = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
    return Exists(InvoiceLine.objects.filter(source_key=key, month__state=MonthState.CLOSED))


def cancellation_fees(month: Month):
    """Router rental cancellation fees arising on or before the month's last day, not yet invoiced."""
    for option in selectors.router_rental_cancellations(up_to=month.last_day).exclude(_issued(STOP_PREFIX)):
        yield _fee(f"{STOP_PREFIX}{option.pk}", option, option.units, option.terminated_on)
    for change in selectors.router_rental_reductions(up_to=month.last_day).exclude(_issued(REDUCTION_PREFIX)):
        yield _fee(f"{REDUCTION_PREFIX}{change.pk}", change.option, fee_units(change), change.accepted_on)


def fee_units(change) -> int:
    """The routers a change of a rental's count gives back (its typed counts)."""
    return change.old_quantity - change.new_quantity


def _fee(key: str, option, units: int, on) -> BillingCharge:
    contract = option.contract
    per_unit = option.cancellation_fee or 0
    return BillingCharge(
        source_key=key,
        customer_id=contract.customer_id,
        kind=FeeKind.ONE_TIME,
        description=_("Router rental cancellation fee × %(units)d") % {"units": units},
        amount=units * per_unit,
        occurred_on=on,
        contract_id=contract.pk,
        service_code=ServiceCode.ISP_PLATFORM,
        quantity=units,
        unit_price=per_unit,
    )


def on_charges_invoiced(sender, lines, **kwargs) -> None:
    """Mark the charges billing issued as invoiced (invoice number and date), with history."""
    charges = ids_under(CHARGE_PREFIX, lines)
    move_all(
        Charge.objects.filter(pk__in=charges, status=ChargeState.APPROVED),
        ChargeState.INVOICED,
        reason=lambda charge: _("Invoiced: %(number)s") % {"number": charge.invoice_number},
        changes=lambda charge: {"invoice_number": charges[charge.pk][0], "invoiced_on": charges[charge.pk][1]},
    )

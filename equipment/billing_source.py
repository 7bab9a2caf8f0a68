"""What equipment hands to the monthly billing run (``billing.sources``), and how it hears back
(``billing.signals.charges_invoiced``): approved charges and router rental cancellation fees, each once.

The cancellation fees come from durable facts, not from what a receiver managed to record: an option
the customer stopped by notice (ISP Platform art. 7 ¶9) owes its routers × the fee per router, and an
accepted change lowering the count owes the routers given back × the fee (annex 1 §3 (3)), read from the
change's typed counts. Keys already on an issued invoice are not offered again.
"""

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from backoffice.months import Month
from backoffice.moves import move_all, save_audited
from billing.models import InvoiceLine, MonthState
from billing.sources import Charge as BillingCharge
from billing.sources import FeeKind, ids_under
from contracts import selectors
from contracts.choices import ServiceCode

from .choices import ChargeState
from .models import Charge, RentalCancellationFee

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


@transaction.atomic
def on_charges_invoiced(sender, lines, **kwargs) -> None:
    """Mark the charges and fees billing issued as invoiced (invoice number and date), with history."""
    charges = ids_under(CHARGE_PREFIX, lines)
    move_all(
        Charge.objects.filter(pk__in=charges, status=ChargeState.APPROVED),
        ChargeState.INVOICED,
        reason=lambda charge: _("Invoiced: %(number)s") % {"number": charge.invoice_number},
        changes=lambda charge: {"invoice_number": charges[charge.pk][0], "invoiced_on": charges[charge.pk][1]},
    )
    stops, reductions = ids_under(STOP_PREFIX, lines), ids_under(REDUCTION_PREFIX, lines)
    fees = RentalCancellationFee.objects.select_for_update().filter(invoice_number="")
    for fee in fees.filter(option_id__in=stops, change__isnull=True) | fees.filter(change_id__in=reductions):
        fee.invoice_number, fee.invoiced_on = (
            stops[fee.option_id] if fee.change_id is None else reductions[fee.change_id]
        )
        save_audited(fee, by=None, reason=_("Invoiced: %(number)s") % {"number": fee.invoice_number})

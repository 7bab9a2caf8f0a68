"""Recording a payment staff received outside a bank file (cash, a cheque, a transfer they read off the
account), with the same checks as an imported one."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.moves import save_audited

from ..models import Payment, PaymentSource


@transaction.atomic
def record_payment(
    *, received_on: date, amount: int, payer_name: str, by=None, note: str = "", bank_reference: str = ""
) -> Payment:
    payment = Payment(
        source=PaymentSource.MANUAL,
        received_on=received_on,
        value_on=received_on,
        amount=amount,
        payer_name=payer_name,
        bank_reference=bank_reference,
        note=note,
        created_by=by,
    )
    save_audited(payment, by=by, reason=_("Entered by hand"))
    return payment

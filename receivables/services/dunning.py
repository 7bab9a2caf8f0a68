"""Dunning notices (督促) e-mailed to the customer's billing contact at the steps of
``RECEIVABLES_DUNNING_DAYS`` past due, each recorded and sent once.

For an invoice still owed, the highest step it has reached is due unless recorded already (an earlier
step never recorded is not sent late). The notice's row (unique per invoice and step) and its e-mail in
the outbox are written in one transaction; the e-mail goes after the commit, and the outbox records
whether it went and tries a failed one again. A customer without a billing contact e-mail gets the notice
recorded without its e-mail, listed for staff as not sent; the daily run queues it once there is one.

An invoice on paper is dunned only once it was printed and posted (``delivery.awaiting_post``): a customer
is never reminded of an invoice still waiting for the print run. The e-mails leave from the billing
address (``BILLING_FROM_EMAIL``, the topic's sender).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text, yen
from backoffice.moves import lock, save_audited
from outbox import sending

from .. import selectors
from ..models import DunningNotice
from .delivery import awaiting_post
from .mailed import send_each

TOPIC = "receivables.dunning"


def due(today: date):
    """``(invoice, step)`` of every notice due on ``today`` and not yet recorded; the invoice has its balance."""
    steps = sorted(settings.RECEIVABLES_DUNNING_DAYS, reverse=True)
    if not steps:
        return
    overdue = (
        selectors.overdue(today - timedelta(days=min(steps) - 1)).exclude(awaiting_post()).select_related("customer")
    )
    recorded = set(DunningNotice.objects.values_list("invoice", "step"))
    for invoice in overdue:
        late = (today - invoice.due_on).days
        step = next(step for step in steps if late >= step)
        if (invoice.pk, step) not in recorded:
            yield invoice, step


def _message(notice: DunningNotice) -> tuple[str, str]:
    invoice = notice.invoice
    values = {
        "number": invoice.display_number,
        "due": date_text(invoice.due_on),
        "owed": yen(notice.owed),
        "issuer": settings.INVOICE_ISSUER_NAME,
    }
    return _("Payment reminder: invoice %(number)s") % values, _(
        "Our invoice %(number)s was due on %(due)s and %(owed)s is still unpaid. If you have paid it in the "
        "meantime, please disregard this notice; otherwise, please pay it at your earliest convenience.\n\n%(issuer)s"
    ) % values


def _queue(notice: DunningNotice, *, owed: int, today: date) -> None:
    """Set what is owed today and post the notice's e-mail, unless the customer has no billing contact e-mail."""
    notice.owed, notice.queued_on = owed, today
    to = notice.invoice.customer.billing_contact_email
    if to:
        subject, body = _message(notice)
        key = f"{TOPIC}:{notice.invoice_id}:{notice.step}"
        notice.message = sending.post(topic=TOPIC, key=key, to=to, subject=subject, body=body, dispatch=False)


def claim(invoice, step: int, *, today: date) -> DunningNotice | None:
    """Record the notice and queue its e-mail in one transaction; None when another run recorded it first."""
    notice = DunningNotice(invoice=invoice, step=step)
    try:
        with transaction.atomic():
            _queue(notice, owed=invoice.balance, today=today)
            save_audited(notice, by=None, reason=_("Queued") if notice.message else _("Not sent"))
    except (IntegrityError, ValidationError):
        if DunningNotice.objects.filter(invoice=invoice, step=step).exists():
            return None  # a concurrent run recorded it first (refused by the unique step, checked or inserted)
        raise
    return notice


def address(notice: DunningNotice, *, owed: int, today: date) -> DunningNotice:
    """Queue the e-mail of a notice recorded without one, now that the customer has a billing contact e-mail."""
    with transaction.atomic():
        row = lock(notice)
        if row.unaddressed:
            _queue(row, owed=owed, today=today)
            if row.message:
                save_audited(row, by=None, reason=_("Queued once the customer had a billing contact e-mail"))
    return row


def preview(today: date) -> list[tuple]:
    """What a run on ``today`` would queue: ``(invoice, step)`` of each new notice (the invoice with its
    customer and balance), for the confirmation staff see before running it."""
    return list(due(today))


def send_due(today: date, *, progress=None) -> tuple[list[DunningNotice], list[DunningNotice]]:
    """Queue every notice due ``today`` and send it, with those of invoices still owed that could not go before
    (failed, or waiting for an address): ``(sent, failed)``. The daily run tries a failed notice again, as the
    outbox's own sweep does when it is scheduled."""
    owed = dict(selectors.overdue(today).values_list("pk", "balance"))
    waiting = list(
        DunningNotice.objects.unsent()
        .filter(invoice__in=list(owed))
        .select_related("invoice__customer", "message")
        .order_by("pk")
    )
    waiting = [
        address(row, owed=owed[row.invoice_id], today=today)
        if row.unaddressed and row.invoice.customer.billing_contact_email
        else row
        for row in waiting
    ]
    claimed = [row for invoice, step in list(due(today)) if (row := claim(invoice, step, today=today))]
    return send_each([*waiting, *claimed], progress=progress)

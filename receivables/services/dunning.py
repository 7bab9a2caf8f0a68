"""Dunning notices (督促) e-mailed to the customer's billing contact at the steps of
``RECEIVABLES_DUNNING_DAYS`` past due, each recorded and sent once.

For an invoice still owed, the highest step it has reached is due unless sent (an earlier step never
sent is not sent late). The notice is claimed first: its row (unique per invoice and step) is written
and committed; the e-mail goes after the commit, never inside a transaction, and the row then says
sent or failed. A failed one (no billing e-mail, the mail server refused) is tried again the next day.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.moves import save_audited

from .. import selectors
from ..choices import NoticeStatus
from ..models import DunningNotice

logger = logging.getLogger(__name__)


def due(today: date):
    """``(invoice, step)`` of every notice due on ``today`` and not yet sent (failed ones included)."""
    steps = sorted(settings.RECEIVABLES_DUNNING_DAYS, reverse=True)
    if not steps:
        return
    overdue = selectors.overdue(today - timedelta(days=min(steps) - 1)).select_related("customer")
    sent = set(DunningNotice.objects.filter(status=NoticeStatus.SENT).values_list("invoice", "step"))
    for invoice in overdue:
        late = (today - invoice.due_on).days
        step = next(step for step in steps if late >= step)
        if (invoice.pk, step) not in sent:
            yield invoice, step


def claim(invoice, step: int, *, today: date) -> DunningNotice | None:
    """Write (and commit) the notice about to be sent; None when sent already or being sent today."""
    try:
        with transaction.atomic():
            row, created = DunningNotice.objects.select_for_update().get_or_create(
                invoice=invoice,
                step=step,
                defaults={
                    "sent_on": today,
                    "owed": invoice.balance,
                    "to_email": invoice.customer.billing_contact_email,
                },
            )
            if created:
                return row
            if row.status == NoticeStatus.SENT or (row.status == NoticeStatus.SENDING and row.sent_on == today):
                return None
            row.sent_on, row.owed, row.status, row.error = today, invoice.balance, NoticeStatus.SENDING, ""
            row.to_email = invoice.customer.billing_contact_email
            save_audited(row, by=None, reason=_("Tried again"))
            return row
    except IntegrityError:
        return None  # a concurrent run claimed it first


def _message(notice: DunningNotice) -> tuple[str, str]:
    invoice = notice.invoice
    values = {
        "number": invoice.display_number,
        "due": invoice.due_on,
        "owed": yen(notice.owed),
        "issuer": settings.INVOICE_ISSUER_NAME,
    }
    return _("Payment reminder: invoice %(number)s") % values, _(
        "Our invoice %(number)s was due on %(due)s and %(owed)s is still unpaid. If you have paid it in the "
        "meantime, please disregard this notice; otherwise, please pay it at your earliest convenience.\n\n%(issuer)s"
    ) % values


def deliver(notice: DunningNotice) -> bool:
    """E-mail a claimed notice (outside any transaction) and record whether it went."""
    if not notice.to_email:
        error = _("The customer has no billing contact e-mail.")
    else:
        subject, body = _message(notice)
        try:
            send_mail(subject, body, None, [notice.to_email])
        except Exception as exc:  # noqa: BLE001 (SMTP errors, refused connections, timeouts: recorded, retried)
            logger.warning("Dunning notice %s not sent: %s", notice.pk, exc)
            error = f"{type(exc).__name__}: {exc}"[:1000]
        else:
            notice.status = NoticeStatus.SENT
            save_audited(notice, by=None, reason=_("Sent"))
            return True
    notice.status, notice.error = NoticeStatus.FAILED, error
    save_audited(notice, by=None, reason=_("Not sent"))
    return False


def send_due(today: date) -> tuple[list[DunningNotice], list[DunningNotice]]:
    """Claim and deliver every notice due ``today``: ``(sent, failed)``."""
    claimed = [row for invoice, step in list(due(today)) if (row := claim(invoice, step, today=today))]
    sent, failed = [], []
    for row in claimed:
        (sent if deliver(row) else failed).append(row)
    return sent, failed

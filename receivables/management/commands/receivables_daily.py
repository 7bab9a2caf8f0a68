"""Daily: issued invoices delivered (e-mail with the PDF, or marked for post; failed ones tried again),
negative invoices held as their customers' credit (前受金), customers' credits applied to invoices issued
since, payments matched automatically when new invoices now agree with them, then the dunning notices due
today e-mailed. Run twice, it adds nothing. Every e-mail goes through the outbox; one that cannot be sent
(or has no address yet) is tried again the next day and makes the command end non-zero once everything else
is done."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from backoffice.daily import DailyCommand
from receivables.matching import match_unmatched
from receivables.models import Allocation, AllocationKind, Payment
from receivables.services import delivery, dunning
from receivables.services.allocations import apply_credits
from receivables.services.credits import credit_negative_invoices


class Command(DailyCommand):
    help = "Apply customers' credits, match payments that now agree, and send the dunning notices due."
    job = "receivables_daily"

    def do_day(self, day):
        return "", []

    def finish(self, day):
        failures = []
        credit_negative_invoices()
        with_credit = (
            Allocation.objects.live()
            .filter(kind=AllocationKind.CREDIT, credit_used__lt=F("amount"))
            .values_list("customer", flat=True)
            .distinct()
        )
        applied = 0
        for customer_id in with_credit:
            try:
                applied += len(apply_credits(customer_id, reason=_("Credit applied by the daily job")))
            except ValidationError as exc:
                failures.append(" ".join(exc.messages))
        matched, left = match_unmatched(Payment.objects.unmatched().order_by("received_on", "pk"))
        delivered, undelivered = delivery.deliver_due()
        failures += [
            _("invoice %(invoice)s not delivered (%(error)s)") % {"invoice": d.invoice, "error": d.error}
            for d in undelivered
        ]
        sent, failed = dunning.send_due(day)
        for notice in sent:
            self.stdout.write(
                _("dunning +%(step)s days: %(invoice)s → %(to)s")
                % {"step": notice.step, "invoice": notice.invoice, "to": notice.message.to}
            )
        failures += [
            _("dunning notice for %(invoice)s not sent (%(error)s)") % {"invoice": n.invoice, "error": n.error}
            for n in failed
        ]
        summary = _(
            "%(delivered)d invoices delivered (%(undelivered)d failed), %(applied)d credits applied, "
            "%(matched)d payments matched (%(left)d left to match), %(sent)d dunning notices sent, %(failed)d failed."
        ) % {
            "delivered": len(delivered),
            "undelivered": len(undelivered),
            "applied": applied,
            "matched": matched,
            "left": left,
            "sent": len(sent),
            "failed": len(failed),
        }
        return summary, failures

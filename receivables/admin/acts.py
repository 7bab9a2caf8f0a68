"""Receivables' acts from the admin (``jobs.acts``): deliver a month's invoices, print its paper invoices,
run dunning, post and export the journal; each a confirmation that shows what will happen, then a job."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import month_text, yen
from backoffice.months import MonthField, last_month
from billing.models import BillingMonth, MonthState
from jobs.acts import Act
from outbox import topics
from outbox.waiting import waiting

from .. import background, journal
from ..choices import DeliveryMethod
from ..models import DunningNotice, InvoiceDelivery, JournalBatch
from ..services import delivery, dunning
from ..services.journal import refuse_unready

#: How many customers a confirmation names (the job's report names every one it could not serve).
NAMED = 20


class MonthForm(forms.Form):
    month = forms.ModelChoiceField(
        label=gettext_lazy("month"),
        queryset=BillingMonth.objects.filter(state=MonthState.CLOSED).order_by("-month"),
        help_text=gettext_lazy("A closed month: its invoices are issued."),
    )


class JournalMonthForm(forms.Form):
    """A journal's month: any month (payments and refunds book in months no invoice was issued in), the last
    one over by default."""

    month = MonthField(label=gettext_lazy("month"), max_length=7, help_text=gettext_lazy("YYYY-MM"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = str(last_month())


class ExportForm(JournalMonthForm):
    format = forms.ChoiceField(
        label=gettext_lazy("format"),
        choices=list(journal.FORMATS.items()),
    )


def _named(customers) -> str:
    customers = list(customers)
    shown = ", ".join(str(c) for c in customers[:NAMED])
    more = len(customers) - NAMED
    return shown + (_(" and %(count)d more") % {"count": more} if more > 0 else "")


def deliver_preview(data, user) -> list[str]:
    month = data["month"].period
    invoices = list(delivery.undelivered(month))
    by_post = [i for i in invoices if i.customer.invoice_by_post]
    by_mail = [i for i in invoices if not i.customer.invoice_by_post]
    no_address = [i for i in by_mail if not i.customer.billing_contact_email]
    retried = InvoiceDelivery.objects.unsent().filter(invoice__month__month=month.first_day).count()
    if not invoices and not retried:
        raise ValidationError(_("Every invoice of %(month)s is delivered already.") % {"month": month_text(month)})
    mailed = [i for i in by_mail if i not in no_address]
    lines = [
        _("%(month)s: %(count)d invoices not yet delivered.") % {"month": month_text(month), "count": len(invoices)}
    ]
    if mailed:
        lines.append(
            _("By e-mail with the PDF: %(count)d (%(customers)s).")
            % {"count": len(mailed), "customers": _named(i.customer for i in mailed)}
        )
    if by_post:
        lines.append(
            _("Marked for the post (printed with the paper run): %(count)d (%(customers)s).")
            % {"count": len(by_post), "customers": _named(i.customer for i in by_post)}
        )
    if no_address:
        lines.append(
            _("Without a billing contact e-mail, recorded as not sent: %(count)d (%(customers)s).")
            % {"count": len(no_address), "customers": _named(i.customer for i in no_address)}
        )
    if retried:
        lines.append(_("E-mails that could not go before, tried again: %(count)d.") % {"count": retried})
    return lines


def print_preview(data, user) -> list[str]:
    month = data["month"].period
    invoices = list(delivery.paper_invoices(month))
    if not invoices:
        raise ValidationError(_("No customer asked for paper invoices in %(month)s.") % {"month": month_text(month)})
    printed = InvoiceDelivery.objects.filter(
        invoice__in=invoices, resend=False, method=DeliveryMethod.POST, printed_at__isnull=False
    ).count()
    lines = [
        _("%(month)s: %(count)d paper invoices in one PDF, in number order (%(customers)s).")
        % {"month": month_text(month), "count": len(invoices), "customers": _named(i.customer for i in invoices)},
        _("Each is recorded as printed; mark it posted on the deliveries' list once it is in the post."),
    ]
    if printed:
        lines.append(_("%(count)d of them were printed before: they are printed again.") % {"count": printed})
    return lines


def dunning_preview(data, user) -> list[str]:
    today = timezone.localdate()
    due = dunning.preview(today)
    waiting = DunningNotice.objects.unsent().count()
    if not due and not waiting:
        raise ValidationError(_("No dunning notice is due today."))
    lines = [
        _("%(count)d dunning notices due today, %(total)s owed (%(customers)s).")
        % {
            "count": len(due),
            "total": yen(sum(invoice.balance for invoice, _step in due)),
            "customers": _named(invoice.customer for invoice, _step in due),
        },
    ]
    lines += [
        _("%(invoice)s (%(customer)s): +%(step)s days, %(owed)s")
        % {"invoice": i.display_number, "customer": i.customer, "step": step, "owed": yen(i.balance)}
        for i, step in due[:NAMED]
    ]
    no_address = [invoice.customer for invoice, _step in due if not invoice.customer.billing_contact_email]
    if no_address:
        lines.append(
            _("Without a billing contact e-mail, recorded as not sent: %(customers)s.")
            % {"customers": _named(no_address)}
        )
    if waiting:
        lines.append(_("Notices that could not go before, tried again: %(count)d.") % {"count": waiting})
    lines.append(_("Paper invoices not yet posted are left alone until they are."))
    return lines


def export_preview(data, user) -> list[str]:
    month = data["month"]
    entries = journal.entries(month)
    totals: dict[str, int] = {}
    for entry in entries:
        totals[entry.side] = totals.get(entry.side, 0) + entry.amount
    fmt = journal.FORMATS[data["format"]]
    return [
        _("The journal of %(month)s as %(format)s: %(count)d entry lines, figures as of today.")
        % {"month": month_text(month), "format": fmt, "count": len(entries)},
        *(f"{side}: {yen(total)}" for side, total in totals.items()),
    ]


def post_preview(data, user) -> list[str]:
    """The month's vouchers as the books stand now, with each account's debits and credits: what posting
    freezes. A month already posted, or not ready to post, is refused before any job starts."""
    month = data["month"]
    posted = JournalBatch.objects.filter(month=month.first_day).first()
    if posted is not None:
        raise ValidationError(
            _("%(month)s is already posted (%(batch)s): export it from its page; posting again gives the same.")
            % {"month": month_text(month), "batch": posted}
        )
    refuse_unready(month)
    lines = journal.preview(month)
    names = journal.account_names()
    sums: dict[tuple[str, str], int] = {}
    for line in lines:  # debits first, each side by account
        key = (line.side != journal.DEBIT, names.get(line.account, line.account), line.side)
        sums[key] = sums.get(key, 0) + line.amount
    debit = sum(line.amount for line in lines if line.side == journal.DEBIT)
    return [
        _(
            "The journal of %(month)s as the books stand now (%(count)d lines, vouchers %(first)s to %(last)s), "
            "with the changes to months already posted (過月分). Once posted it never changes."
        )
        % {
            "month": month_text(month),
            "count": len(lines),
            "first": lines[0].voucher if lines else "-",
            "last": lines[-1].voucher if lines else "-",
        },
        *(f"{side} {account}: {yen(amount)}" for (_credit, account, side), amount in sorted(sums.items())),
        _("Debits = credits: %(total)s.") % {"total": yen(debit)},
    ]


def send_now_preview(data, user) -> list[str]:
    """How many e-mails will go, of which topic, and to whom (the first twenty addresses)."""
    readable = None if user.is_superuser else [t for t, _label in topics.choices() if topics.may_read(user, t)]
    rows = waiting(readable)
    count = rows.count()
    if not count:
        raise ValidationError(_("No e-mail is waiting to be sent."))
    by_topic = rows.order_by().values("topic").annotate(n=Count("pk")).values_list("topic", "n")
    recipients = sorted(set(rows.values_list("to", flat=True)[:200]))
    shown = ", ".join(recipients[:NAMED]) + (" …" if len(recipients) > NAMED else "")
    return [
        _("%(count)d e-mails waiting are sent now, without waiting for their time to try again.") % {"count": count},
        *(f"{topics.label(topic)}: {n}" for topic, n in sorted(by_topic)),
        _("To: %(recipients)s") % {"recipients": shown},
    ]


DELIVER = Act(
    "deliver",
    gettext_lazy("Deliver a month's invoices"),
    "receivables.deliver_invoicedelivery",
    deliver_preview,
    lambda data, user: background.deliver_later(data["month"].period, by=user),
    MonthForm,
)
PRINT = Act(
    "print_paper",
    gettext_lazy("Print a month's paper invoices"),
    "receivables.deliver_invoicedelivery",
    print_preview,
    lambda data, user: background.print_later(data["month"].period, by=user),
    MonthForm,
)
DUN = Act(
    "dun",
    gettext_lazy("Run dunning now"),
    "receivables.send_dunningnotice",
    dunning_preview,
    lambda data, user: background.dunning_later(timezone.localdate(), by=user),
)
EXPORT = Act(
    "export_journal",
    gettext_lazy("Export a month's journal"),
    "receivables.view_allocation",
    export_preview,
    lambda data, user: background.export_later(data["month"], data["format"], by=user),
    ExportForm,
)
POST = Act(
    "post_journal",
    gettext_lazy("Post a month's journal"),
    "receivables.post_journalbatch",
    post_preview,
    lambda data, user: background.post_later(data["month"], by=user),
    JournalMonthForm,
)
SEND_NOW = Act(
    "send_outbox",
    gettext_lazy("Send the outbox now"),
    "outbox.send_message",
    send_now_preview,
    lambda data, user: background.send_outbox_later(by=user),
)

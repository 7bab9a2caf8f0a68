"""Billing's events on the customer timeline: each issued invoice, with its total and due date."""

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.display import date_text, yen
from backoffice.timeline import Event, needs

from .models import Invoice


@needs("billing.view_invoice")
def invoice_events(customer):
    """One event per issued invoice of ``customer`` (one query)."""
    for invoice in Invoice.objects.filter(customer=customer, number__isnull=False).select_related("month"):
        yield Event(
            on=invoice.issued_on,
            kind=_("Invoice issued"),
            subject=f"{invoice.display_number} ({invoice.month})",
            text=_("total %(total)s, due %(due)s") % {"total": yen(invoice.total), "due": date_text(invoice.due_on)},
            url=reverse("admin:billing_invoice_change", args=[invoice.pk]),
        )


SOURCES = (invoice_events,)

"""The customer's own events on its timeline: its related contracts and the edits of both."""

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.timeline import Event, history_events, needs

from .models import Customer, RelatedContract


def _label(related) -> str:
    return f"{related.get_kind_display()} {related.reference}".strip()


@needs("customers.view_relatedcontract")
def related_contract_events(customer):
    for related in RelatedContract.objects.filter(customer=customer):
        url = reverse("admin:customers_relatedcontract_change", args=[related.pk])
        yield Event(related.started_on, _("Related contract formed"), _label(related), "", url)
        if related.ended_on:
            yield Event(related.ended_on, _("Related contract ended"), _label(related), "", url)


@needs("customers.view_customer")
def customer_history_events(customer):
    yield from history_events(Customer, Customer.history.filter(id=customer.pk), lambda r: str(r.name))


@needs("customers.view_relatedcontract")
def related_history_events(customer):
    yield from history_events(RelatedContract, RelatedContract.history.filter(customer_id=customer.pk), _label)


SOURCES = (related_contract_events, customer_history_events, related_history_events)

"""The move of dunning notices and deliveries into the outbox keeps their story: a sent row gets its message,
sent; one not sent is left waiting, and the next daily run queues it with today's text."""

from datetime import date as D

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from outbox.choices import MessageState
from receivables.models import DunningNotice, InvoiceDelivery
from receivables.services import delivery, dunning

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

BEFORE = [("receivables", "0001_receivables")]


def _latest():
    """Every migration of receivables (the move, and those after it that today's code reads)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("receivables")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@override_settings(RECEIVABLES_DUNNING_DAYS=(7,))
def test_sent_rows_get_their_message_and_the_others_are_queued_by_the_next_run(issue, yamada, sato):
    for customer in (yamada, sato):
        customer.billing_contact_email = f"keiri@{customer.pk}.example"
        customer.save()
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    try:
        old = _migrate(BEFORE)
        Notice = old.get_model("receivables", "DunningNotice")
        Delivery = old.get_model("receivables", "InvoiceDelivery")
        for customer, status in ((yamada, "sent"), (sato, "failed")):
            invoice = bills[customer]
            Notice.objects.create(invoice_id=invoice.pk, step=7, owed=invoice.total, sent_on=D(2025, 4, 7),
                                  to_email=customer.billing_contact_email, status=status, error="")  # fmt: skip
            Delivery.objects.create(invoice_id=invoice.pk, method="email", status=status, error="",
                                    to_email=customer.billing_contact_email)  # fmt: skip
    finally:
        _migrate(_latest())
    sent = DunningNotice.objects.get(invoice=bills[yamada])
    assert (sent.message.key, sent.message.to, sent.message.state, sent.queued_on) == (
        f"receivables.dunning:{bills[yamada].pk}:7",
        yamada.billing_contact_email,
        MessageState.SENT,
        D(2025, 4, 7),
    )
    mailed = InvoiceDelivery.objects.get(invoice=bills[yamada])
    assert (mailed.message.key, mailed.message.state) == (f"receivables.delivery:{mailed.pk}", MessageState.SENT)
    assert [row.invoice for row in DunningNotice.objects.unsent()] == [bills[sato]]
    assert [row.invoice for row in InvoiceDelivery.objects.unsent()] == [bills[sato]]
    assert [d.invoice for d in delivery.deliver_due()[0]] == [bills[sato]]
    assert [n.invoice for n in dunning.send_due(D(2025, 4, 8))[0]] == [bills[sato]]
    assert [m.to for m in mail.outbox] == [[sato.billing_contact_email]] * 2

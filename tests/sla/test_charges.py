"""The charge source billing calls and the receiver of charges_invoiced: a credit reaches one invoice, once."""

from datetime import date, timedelta

import pytest

from backoffice.months import Month
from billing import signals, sources
from billing.sources import FeeKind
from sla.models import CreditStatus
from sla.services import charges, claims, outages

from .builders import at, claim, live, outage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MARCH = Month(2025, 3)
APRIL = Month(2025, 4)


def granted(on=date(2025, 3, 20)):
    contract = live()
    row = outage(at(2025, 3, 3, 10), timedelta(hours=13))
    outages.affect(row, [contract], by=None)
    return claims.decide(claim(row, contract, on), on=on, by=None)


def test_the_source_is_registered_in_ready():
    assert sources.registered()["sla.credits"] is charges.granted_credits


def test_a_granted_credit_is_a_negative_credit_line_from_its_grant_date():
    credit = granted(on=date(2025, 3, 31))
    contract = credit.claim.affected.contract
    assert list(charges.granted_credits(Month(2025, 2))) == []
    (charge,) = charges.granted_credits(MARCH)
    assert charge.source_key == f"sla.credit:{credit.pk}"
    assert (charge.kind, charge.amount, charge.occurred_on) == (FeeKind.CREDIT, -9_000, date(2025, 3, 31))
    assert (charge.customer_id, charge.contract_id, charge.service_code) == (contract.customer_id, contract.pk, "cxm2")
    assert [c.source_key for c in charges.granted_credits(APRIL)] == [charge.source_key]  # stable key


def test_once_invoiced_the_source_stops_yielding_the_credit():
    credit, other = granted(), granted()
    signals.charges_invoiced.send(
        sender=MARCH,
        lines={
            credit.source_key: ("INV-2025-03-0001", date(2025, 4, 1)),
            "equipment.charge:1": ("X", date(2025, 4, 1)),
        },
    )
    credit.refresh_from_db()
    assert (credit.status, credit.invoice_number, credit.invoiced_on) == (
        CreditStatus.INVOICED,
        "INV-2025-03-0001",
        date(2025, 4, 1),
    )
    assert credit.history.latest().history_change_reason == "invoiced"
    assert [c.source_key for c in charges.granted_credits(APRIL)] == [other.source_key]

    signals.charges_invoiced.send(sender=APRIL, lines={credit.source_key: ("INV-2025-04-0009", date(2025, 5, 1))})
    credit.refresh_from_db()
    assert credit.invoice_number == "INV-2025-03-0001"  # invoiced once: a second signal changes nothing


def test_the_receiver_ignores_keys_it_does_not_own():
    credit = granted()
    charges.mark_invoiced(MARCH, lines={"sla.credit:x": ("A", date(2025, 4, 1)), "sla.creditx:1": ("B", None)})
    credit.refresh_from_db()
    assert credit.status == CreditStatus.GRANTED


def test_the_source_costs_one_query_whatever_the_number_of_credits(django_assert_num_queries):
    for _ in range(4):
        granted()
    with django_assert_num_queries(1):
        assert len(list(charges.granted_credits(MARCH))) == 4


def test_the_invoice_line_names_the_outage_as_the_customer_writes_a_date(japanese):
    granted()
    (charge,) = charges.granted_credits(MARCH)
    assert charge.description == "品質保証違背による減額: 2025年3月3日10:00 の利用不能"

"""Prices in the admin (issue 25 ¶2): a change shows the price before and after and the first month billed
at it; a price agreement reaching into a closed month is refused unless retroactive, and then shows each
closed month's correction with the invoice it corrects before staff confirm."""

from datetime import date as D

import pytest

from contracts.models import Contract, DatedPrice, Item, PriceOrigin
from tests.billing.helpers import bill, bill_and_close, in_service

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db


def _edit(client, obj, **changes):
    data = change_form_data(client.get(change_url(obj)))
    data.update(changes)
    return client.post(change_url(obj), data)


def test_sales_change_the_item_and_are_told_the_new_price_and_its_first_month(login_as_role):
    client = login_as_role("sales")
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    response = _edit(client, contract, item="cxm2.1g", change_accepted_on="2025-09-15")
    assert response.status_code == 302, messages_of(response)
    told = " ".join(messages_of(client.get(changelist_url(Contract))))
    assert "Monthly fee 60,000 yen → 250,000 yen from" in told
    assert "first month billed at the new price: September 2025, by day from" in told
    page = client.get(change_url(contract)).content.decode()
    assert "100 Mbps, monthly 60,000 yen" in page and "1 Gbps, monthly 250,000 yen" in page


def test_a_price_agreed_with_the_change_on_its_form(login_as_role):
    client = login_as_role("sales")
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    _edit(client, contract, item="cxm2.500m", change_accepted_on="2025-10-01", change_monthly_fee="140000")
    price = DatedPrice.objects.get(contract=contract, valid_from=D(2025, 10, 1))
    assert (price.item_id, price.monthly_fee, price.origin) == ("cxm2.500m", 140_000, PriceOrigin.CHANGE)
    assert price.history.latest().history_user.username == "sales-staff"


def test_billing_previews_a_retroactive_agreement_then_confirms_it(login_as_role):
    client = login_as_role("billing")
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    bill_and_close(2025, 7)
    august = bill_and_close(2025, 8)
    invoice = august.invoices.get(customer=contract.customer)
    fields = {"valid_from": D(2025, 8, 16), "monthly_fee": 90_000, "reason": "合意済みの増額"}

    refused = run_action(client, Contract, "agree_price", [contract], **fields)
    assert refused.status_code == 200 and not refused.context["confirm"]
    assert "a closed billing month" in str(refused.context["form"].errors)

    data = {"action": "agree_price", "_selected_action": [contract.pk], "retroactive": "on", "_step": "form"}
    data.update({"valid_from": "2025-08-16", "monthly_fee": "90000", "reason": "合意済みの増額"})
    preview = client.post(changelist_url(Contract), data)
    page = preview.content.decode()
    assert preview.context["confirm"]
    assert invoice.display_number in page  # the invoice each correction corrects
    assert "60,000 yen → 90,000 yen" in page and "First month billed at the new price: August 2025" in page
    assert not DatedPrice.objects.filter(contract=contract).exists()  # the preview wrote nothing

    done = client.post(changelist_url(Contract), {**data, "_step": "confirm"})
    assert done.status_code == 302
    price = DatedPrice.objects.get(contract=contract, origin=PriceOrigin.AGREEMENT)
    assert price.retroactive and price.history.latest().history_change_reason == "合意済みの増額"
    september = bill(2025, 9)
    correction = september.lines.get(source_key=f"contract:{contract.pk}:monthly:2025-08")
    assert correction.adjusts.invoice == invoice


def test_sales_may_not_agree_a_price(login_as_role):
    client = login_as_role("sales")
    contract = in_service(accepted_on=D(2025, 7, 1), billing_on=D(2025, 7, 1))
    data = {"action": "agree_price", "_selected_action": [contract.pk], "_step": "form"}
    response = client.post(changelist_url(Contract), data)
    assert response.status_code in (302, 403)
    assert not DatedPrice.objects.exists()
    assert Item.objects.get(pk="cxm2.100m").monthly_fee == 60_000

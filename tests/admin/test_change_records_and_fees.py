"""Change records are facts of accepted changes (read-only, never added by hand); manual one-time
fees are their own records with a kind, an amount, a date and a reason."""

from datetime import date as D

import pytest
from django.urls import reverse

from billing.sources import FeeKind
from contracts.choices import ServiceCode
from contracts.models import ChangeKind, ContractChange, ContractOption, OneTimeFee, OneTimeFeeKind
from contracts.services import changes
from tests import factories as f
from tests.billing.helpers import bill, lines_of

from .conftest import change_form_data, change_url, changelist_url, messages_of, run_action

pytestmark = pytest.mark.django_db


def test_a_change_record_cannot_be_invented_in_the_admin(staff_client):
    c = f.activate(f.contract(ServiceCode.CXM2))
    url = reverse("admin:contracts_contractchange_add")
    assert staff_client.get(url).status_code == 403
    data = {"contract": c.pk, "kind": ChangeKind.ITEM, "accepted_on": "2025-02-01", "new_value": "x", "fee": 99_999}
    assert staff_client.post(url, data).status_code == 403
    assert not ContractChange.objects.exists()


def test_a_recorded_change_is_read_only_its_fee_included(staff_client):
    c = f.activate(f.contract(ServiceCode.CXM2))
    [record] = changes.accept_change(c, on=D(2025, 2, 1), route="office365")
    page = staff_client.get(change_url(record))
    assert page.status_code == 200 and "fee" not in page.context["adminform"].form.fields
    staff_client.post(change_url(record), {"fee": 0, "note": "waived"})
    record.refresh_from_db()
    assert (record.fee, record.note) == (10_000, "")


def test_a_manual_fee_is_added_with_its_reason_and_kept_in_history(staff_client, staff):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER))
    url = reverse("admin:contracts_onetimefee_add")
    data = {"contract": c.pk, "kind": OneTimeFeeKind.AFTER_HOURS, "amount": 30_000, "incurred_on": "2025-02-01"}
    refused = staff_client.post(url, {**data, "reason": "  "})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    staff_client.post(url, {**data, "reason": "night-time router swap"})
    fee = OneTimeFee.objects.get()
    assert (fee.amount, fee.kind, fee.reason) == (30_000, OneTimeFeeKind.AFTER_HOURS, "night-time router swap")
    assert fee.history.get().history_user == staff


@pytest.mark.parametrize(
    ("incurred_on", "accepted", "error"),
    [
        ("2025-01-09", True, "before the contract was accepted"),
        ("2025-02-01", False, "only on an accepted contract"),
    ],
)
def test_a_manual_fee_falls_on_an_accepted_contract_after_its_acceptance(staff_client, incurred_on, accepted, error):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER)) if accepted else f.contract(ServiceCode.MANAGED_ROUTER)
    data = {"contract": c.pk, "kind": OneTimeFeeKind.TRAVEL, "amount": 1_000, "incurred_on": incurred_on, "reason": "x"}
    page = staff_client.post(reverse("admin:contracts_onetimefee_add"), data)
    assert error in str(page.context["adminform"].form.errors)
    assert not OneTimeFee.objects.exists()


@pytest.mark.parametrize("service", [ServiceCode.CXM2, ServiceCode.ISP_PLATFORM])
def test_after_hours_long_work_and_travel_are_managed_router_fees_only(staff_client, service):
    """Only the Managed Router annex names them (別紙1 §3 (2)–(4)); no other service's annex does."""
    c = f.activate(f.contract(service))
    data = {"contract": c.pk, "kind": OneTimeFeeKind.AFTER_HOURS, "amount": 30_000, "incurred_on": "2025-02-01"}
    page = staff_client.post(reverse("admin:contracts_onetimefee_add"), {**data, "reason": "night work"})
    assert "Managed Router annex 1 §3 (2)–(4)" in str(page.context["adminform"].form.errors)
    assert not OneTimeFee.objects.exists()


def test_manual_fees_list_searches_and_filters(staff_client):
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER))
    OneTimeFee.objects.create(
        contract=c, kind=OneTimeFeeKind.LONG_WORK, amount=5, incurred_on=D(2025, 2, 1), reason="a"
    )
    page = staff_client.get(changelist_url(OneTimeFee), {"q": c.number, "kind__exact": OneTimeFeeKind.LONG_WORK})
    assert page.status_code == 200 and page.context["cl"].result_count == 1


def test_staff_adding_and_stopping_a_managed_router_option_record_one_change_fee_each(staff_client, staff, today):
    """Managed Router art. 6 ¶1 (2), annex 1 3.(1): the managed switch's 5,000 yen change fee, shown before
    staff confirm and in the result, charged on the month's invoice."""
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    today(D(2025, 6, 20))
    url = reverse("admin:contracts_contractoption_add")
    add = {"contract": router.pk, "kind": "managed_router.managed_switch", "applied_on": "2025-06-02", "units": 1}
    assert staff_client.post(url, {**change_form_data(staff_client.get(url)), **add}).status_code == 302
    switch = router.options.get()

    confirm = staff_client.post(
        changelist_url(ContractOption),
        {"action": "accept", "_selected_action": [switch.pk], "_step": "form", "on": "2025-06-05"},
    )
    assert "change fee 5,000 yen (Managed Router art. 6 ¶1 (2), annex 1 3.(1))" in confirm.content.decode()
    assert not ContractChange.objects.exists()  # nothing is recorded before the confirmation
    done = run_action(staff_client, ContractOption, "accept", [switch], on=D(2025, 6, 5))
    assert "change fee 5,000 yen" in " ".join(messages_of(done))
    run_action(staff_client, ContractOption, "start_billing", [switch], on=D(2025, 6, 10))
    run_action(staff_client, ContractOption, "register_notice", [switch], received_on=D(2025, 6, 20))
    today(D(2025, 7, 21))
    done = run_action(
        staff_client, ContractOption, "terminate", [switch], on=D(2025, 7, 20), reason="customer_request", note=""
    )
    assert "change fee 5,000 yen" in " ".join(messages_of(done))

    added, stopped = ContractChange.objects.filter(option=switch).order_by("accepted_on")
    assert [(c.accepted_on, c.fee, c.history.get().history_user) for c in (added, stopped)] == [
        (D(2025, 6, 5), 5_000, staff),
        (D(2025, 7, 20), 5_000, staff),
    ]
    assert lines_of(bill(2025, 6), kind=FeeKind.ONE_TIME) == {f"change:{added.pk}": 5_000}
    assert lines_of(bill(2025, 7), kind=FeeKind.ONE_TIME) == {f"change:{stopped.pk}": 5_000}

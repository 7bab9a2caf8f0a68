"""Numbers staff can read: a contract is numbered after its customer (D00030-01, -02…), whoever creates it and
however many at once; a new customer's number is proposed on the add page, the next of its series."""

import threading

import pytest
from django.db import connection

from contracts.choices import ServiceCode
from contracts.models import Contract
from customers.models import Customer
from tests import factories as f
from tests.admin.conftest import change_form_data, changelist_url
from tests.admin.conftest import staff_client as staff_client  # noqa: F401
from tests.admin.test_inputs import CXM2, add_contract

pytestmark = pytest.mark.django_db


def test_contracts_are_numbered_after_their_customer_in_order():
    customer = f.customer(code="D00030")
    first, second = f.contract(ServiceCode.CXM2, customer), f.contract(ServiceCode.CXM2, customer)
    assert (first.number, second.number) == ("D00030-01", "D00030-02")
    f.contract(ServiceCode.CXM2, customer, number="D00030-07")  # an imported one keeps its own number
    assert f.contract(ServiceCode.CXM2, customer).number == "D00030-08"
    assert f.contract(ServiceCode.CXM2, f.customer(code="D0003")).number == "D0003-01"  # another customer's series


def test_a_contract_added_in_the_admin_without_a_number_takes_its_customers_next(staff_client):
    customer = f.customer(code="D00030")
    f.contract(ServiceCode.CXM2, customer)
    response = add_contract(staff_client, customer, "cxm2.100m", number="", **CXM2)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Contract.objects.latest("pk").number == "D00030-02"


@pytest.mark.django_db(transaction=True)
def test_contracts_of_one_customer_saved_at_once_take_a_number_each(on_postgres):
    customer = f.customer(code="D00030")
    barrier = threading.Barrier(4)
    outcomes = []

    def work():
        try:
            barrier.wait()
            outcomes.append(f.contract(ServiceCode.CXM2, customer).number)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(outcome, str) for outcome in outcomes), outcomes  # no number taken twice
    assert sorted(outcomes) == ["D00030-01", "D00030-02", "D00030-03", "D00030-04"]


def _proposed(client) -> str:
    return client.get(changelist_url(Customer) + "add/").context["adminform"].form.initial["code"]


def test_a_new_customers_number_is_proposed_next_in_its_series(staff_client):
    assert _proposed(staff_client) == "C00001"  # the first customer
    f.customer(code="D00031")
    f.customer(code="D00030")
    assert _proposed(staff_client) == "D00032"  # after the highest of the newest one's series
    f.customer(code="ACME")  # typed by hand: not a series
    assert _proposed(staff_client) == "D00032"
    f.customer(code="K0001")
    assert _proposed(staff_client) == "K0002"


def test_the_proposed_number_is_taken_unless_staff_change_it(staff_client):
    f.customer(code="D00030")
    url = changelist_url(Customer) + "add/"
    data = change_form_data(staff_client.get(url)) | {"kind": "corporate", "name": "株式会社青葉"}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Customer.objects.filter(code="D00031", name="株式会社青葉").exists()

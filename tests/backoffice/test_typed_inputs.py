"""Dates, moments, phone numbers and postal codes as staff type them: every form the screens print is read
back, full-width digits and an IME's dashes included."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from backoffice.contacts import normalise_phone, normalise_postal_code
from backoffice.dates import DateFormField, MomentFormField, parse_date, parse_moment
from backoffice.display import date_text
from sla.models import Outage
from tests import factories as f
from tests.admin.conftest import changelist_url
from tests.admin.conftest import staff_client as staff_client

D = date


@pytest.mark.parametrize(
    "typed", ["2026-11-01", "2026/11/01", "2026/11/1", "2026年11月1日", "２０２６年１１月１日", "２０２６－１１－０１"]
)
def test_a_date_is_read_in_every_form_staff_type_it(typed):
    assert parse_date(typed) == D(2026, 11, 1)
    assert DateFormField().clean(typed) == D(2026, 11, 1)


def test_the_date_the_screens_print_is_read_back():
    from django.utils import translation

    with translation.override("ja"):
        printed = date_text(D(2026, 11, 1))
    assert printed == "2026年11月1日"
    assert parse_date(printed) == D(2026, 11, 1)


@pytest.mark.parametrize("typed", ["2026-02-30", "2026年13月1日", "11/01/2026", "昨日"])
def test_what_is_not_a_date_is_refused(typed):
    assert parse_date(typed) is None


@pytest.mark.parametrize(
    "typed,moment",
    [
        (["2026/11/10 10:00", ""], datetime(2026, 11, 10, 10)),
        (["2026年11月10日", ""], datetime(2026, 11, 10)),
        (["2026年11月10日10:00", ""], datetime(2026, 11, 10, 10)),  # DATETIME_FORMAT of the Japanese screens
        (["2026年11月10日", "10時05分"], datetime(2026, 11, 10, 10, 5)),
        (["2026-11-10", "10:00:30"], datetime(2026, 11, 10, 10, 0, 30)),
    ],
)
def test_an_outage_moment_is_read_as_typed(typed, moment):
    assert timezone.make_naive(MomentFormField().clean(typed)) == moment
    assert parse_moment(" ".join(typed).strip()) == moment


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("０３－１２３４－５６７９", "03-1234-5679"),
        ("03ー1234ー5679", "03-1234-5679"),
        ("03-1234-5679", "03-1234-5679"),
    ],
)
def test_phone_numbers_are_stored_in_ascii(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["1000001", "100-0001", "１００－０００１", "〒100-0001", "100ー0001"])
def test_postal_codes_are_stored_as_three_dash_four(typed):
    assert normalise_postal_code(typed) == "100-0001"


@pytest.mark.django_db
def test_a_customer_saved_with_full_width_contacts_is_stored_normalised():
    customer = f.customer()
    customer.postal_code, customer.failure_contact_phone = "1000001", "０３－１２３４－５６７９"
    customer.full_clean()
    customer.save()
    customer.refresh_from_db()
    assert (customer.postal_code, customer.failure_contact_phone) == ("100-0001", "03-1234-5679")


@pytest.mark.django_db
def test_the_outage_add_page_takes_a_moment_typed_in_the_date_box(staff_client):
    data = {
        "started_at_0": "2026/11/10 10:00",
        "started_at_1": "",
        "ended_at_0": "2026年11月10日",
        "ended_at_1": "12時30分",
        "cause": "fibre cut",
        "affected-TOTAL_FORMS": "0",
        "affected-INITIAL_FORMS": "0",
        "notifications-TOTAL_FORMS": "0",
        "notifications-INITIAL_FORMS": "0",
    }
    response = staff_client.post(changelist_url(Outage) + "add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    outage = Outage.objects.get()
    assert timezone.localtime(outage.started_at).replace(tzinfo=None) == datetime(2026, 11, 10, 10)
    assert timezone.localtime(outage.ended_at).replace(tzinfo=None) == datetime(2026, 11, 10, 12, 30)

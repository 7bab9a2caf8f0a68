"""Hostile requests are refused, never a server error: big uploads and bodies, oversized cells and NUL bytes,
regex lookups from the query string, malformed ids (findings 4, 5, 6 and 9)."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from equipment.models import Unit
from equipment.services.stock_import import MAX_ROWS, import_units
from tests.equipment import factories as ef

pytestmark = pytest.mark.django_db


def _import(client, content: bytes):
    data = {
        "file": SimpleUploadedFile("units.csv", content, content_type="text/csv"),
        "unit_model": ef.unit_model().pk,
        "acquired_on": "2025-04-01",
        "cost": "60000",
        "dry_run": "on",
    }
    return client.post(reverse("admin:equipment_unit_import"), data)


def _file_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get("file", [])


def test_a_cell_past_the_csv_field_limit_is_a_form_error(staff_client):
    errors = _file_errors(_import(staff_client, b"serial\n" + b"A" * 200_000 + b"\n"))
    assert any("Line 2 is not readable CSV" in e for e in errors)


def test_a_nul_byte_in_the_file_is_a_form_error(staff_client):
    errors = _file_errors(_import(staff_client, b"serial\nA-1\nA-\x002\n"))
    assert any("Line 3 holds a NUL byte" in e for e in errors)
    assert not Unit.objects.exists()


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_a_file_over_the_upload_limit_is_a_form_error(staff_client):
    errors = _file_errors(_import(staff_client, b"serial\n" + b"A-1\n" * 500))
    assert any("larger than" in e for e in errors)


@override_settings(MAX_REQUEST_BYTES=4096)
def test_a_request_body_over_the_limit_is_refused_before_it_is_read(staff_client):
    response = _import(staff_client, b"serial\n" + b"A-1\n" * 2000)
    assert response.status_code == 413


def test_the_import_reads_no_further_than_the_row_limit():
    read = itertools.count()

    def endless():
        yield "serial\n"
        for n in itertools.count():
            next(read)
            yield f"S-{n}\n"

    with pytest.raises(ValidationError, match="at most"):
        import_units(endless(), unit_model=ef.unit_model(), acquired_on=date(2025, 4, 1), cost=1, dry_run=True)
    assert next(read) <= MAX_ROWS + 2


def test_a_file_that_is_not_utf8_is_a_form_error(staff_client):
    errors = _file_errors(_import(staff_client, b"serial\n\xff\xfe\n"))
    assert any("UTF-8" in e for e in errors)


@pytest.mark.parametrize("query", ["id__regex=(a", "pk__iregex=^(a%2B)%2B$", "customer__name__regex=x"])
def test_regex_lookups_are_refused_from_the_query_string(staff_client, query):
    for url in (reverse("admin:customers_customer_changelist"), reverse("admin:billing_invoice_changelist")):
        assert staff_client.get(f"{url}?{query}").status_code == 400
    export = reverse("admin:customers_customer_export", args=["csv"])
    assert staff_client.get(f"{export}?{query}").status_code == 400


def test_a_nul_byte_in_a_filter_is_refused(staff_client):
    url = reverse("admin:customers_customer_changelist")
    assert staff_client.get(f"{url}?code=%00").status_code == 400
    assert staff_client.get(f"{url}?code=C-1").status_code == 200


@pytest.mark.parametrize("bad", ["abc", "1.5", "-", "99999999999999999999999", "%00"])
def test_malformed_ids_in_custom_views_are_not_found(staff_client, bad):
    admin_root = reverse("admin:index")
    for path in (
        f"billing/invoice/{bad}/document/pdf/",
        f"customers/customer/{bad}/timeline/",
        f"sla/outage/{bad}/affect/",
        f"contracts/abolition/{bad}/execute/",
        f"contracts/abolition/{bad}/customers.csv",
    ):
        assert staff_client.get(admin_root + path).status_code == 404, path


def test_every_page_carries_a_content_security_policy_with_its_nonce(staff_client):
    response = staff_client.get(reverse("admin:index"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()  # the header's own style runs

"""The OpenAPI file and Swagger UI are for signed-in staff only; a token does not open them."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ("/api/v1/docs", "/api/v1/schema")


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_and_token_callers_are_refused(client, api_as, url):
    assert client.get(url).status_code == 403
    assert api_as("sales").get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_staff_read_them(login_as_role, url):
    assert login_as_role("auditor").get(url).status_code == 200


def test_the_page_loads_its_script_from_our_own_files(login_as_role):
    page = login_as_role("sales").get("/api/v1/docs").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "<style nonce=" in page

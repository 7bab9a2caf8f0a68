"""The API in the browser. Swagger UI for signed-in staff renders the API's operations under the site's
Content-Security-Policy (the page fixture fails on any refusal), from our own static files, asking no other
origin for anything; a new token is shown once."""

import pytest

from .steps import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_from_our_own_files(page, site):
    sign_in(page, site, "sales")
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{site}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .opblock-summary-path")
    assert "/api/v1/customers" in page.locator("#swagger-ui").inner_text()
    elsewhere = [url for url in asked if not url.startswith((site, "data:", "blob:"))]
    assert elsewhere == []
    assert any("/static/drf_spectacular_sidecar/" in url for url in asked)


def test_staff_create_a_token_and_copy_it_once(page, site):
    """The token's page and the list render under the Content-Security-Policy too; the list never shows it."""
    sign_in(page, site, "sales")
    page.goto(f"{site}/admin/api/apitoken/add/")
    page.fill("#id_name", "営業ポータル")
    page.click("input[name=_save]")
    token = page.locator("#shown-once").inner_text()
    assert token.startswith("bo_")
    page.click("a.button")
    page.wait_for_selector("#result_list")
    assert token not in page.content()

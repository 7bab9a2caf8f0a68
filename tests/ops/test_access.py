"""The health checks and the metrics are not the public's: signed-in staff (with the second factor their role
needs), a request bearing HEALTH_TOKEN, or a client within HEALTH_ALLOWED_NETWORKS; anyone else gets 403.
A request relayed by a proxy the settings do not declare is never judged by the proxy's own address."""

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/health/", "/metrics"]
OUTSIDE = "203.0.113.7"
TOKEN = "t" * 40


@pytest.fixture(autouse=True)
def token(settings):
    settings.HEALTH_TOKEN = TOKEN


def get(client, path, **headers):
    return client.get(path, HTTP_ACCEPT="application/json", **headers)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_anonymous_client_from_elsewhere_is_refused(client, path):
    response = get(client, path, REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 403
    assert b"backoffice_" not in response.content and b"Database" not in response.content


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_wrong_or_empty_token_is_refused(client, settings, path):
    assert get(client, path, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 403
    assert get(client, path, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403
    settings.HEALTH_TOKEN = ""
    assert get(client, path, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.parametrize("path", ENDPOINTS)
def test_the_token_lets_in_from_anywhere(client, path):
    assert get(client, path, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_this_machine_is_let_in_and_the_list_is_a_setting(client, settings, path):
    assert get(client, path, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert get(client, path, REMOTE_ADDR="::1").status_code == 200
    settings.HEALTH_ALLOWED_NETWORKS = ["198.51.100.0/24"]
    assert get(client, path, REMOTE_ADDR="198.51.100.20").status_code == 200
    assert get(client, path, REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.parametrize("path", ENDPOINTS)
def test_behind_the_tls_proxy_the_address_it_appended_is_judged(client, settings, path):
    settings.BEHIND_TLS_PROXY = True
    relayed = {"REMOTE_ADDR": "127.0.0.1"}  # the proxy on this machine
    assert get(client, path, HTTP_X_FORWARDED_FOR=f"127.0.0.1, {OUTSIDE}", **relayed).status_code == 403
    assert get(client, path, HTTP_X_FORWARDED_FOR="127.0.0.1", **relayed).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_request_through_an_undeclared_proxy_is_not_taken_for_this_machine(client, path):
    assert get(client, path, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    assert get(client, path, REMOTE_ADDR="127.0.0.1", HTTP_FORWARDED=f"for={OUTSIDE}").status_code == 403


@pytest.mark.parametrize("path", ENDPOINTS)
def test_signed_in_staff_are_let_in_from_anywhere(client, staff, path):
    client.force_login(staff)
    assert get(client, path, REMOTE_ADDR=OUTSIDE).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_signed_in_user_who_is_not_staff_is_refused(client, django_user_model, path):
    client.force_login(django_user_model.objects.create_user("customer-side"))
    assert get(client, path, REMOTE_ADDR=OUTSIDE).status_code == 403


@pytest.mark.parametrize("path", ENDPOINTS)
def test_staff_who_lack_the_second_factor_their_role_needs_are_refused(client, staff, settings, path):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(staff)  # a superuser: the second factor is required of them
    assert get(client, path, REMOTE_ADDR=OUTSIDE).status_code == 403

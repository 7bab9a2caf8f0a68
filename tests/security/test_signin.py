"""Sign-in: repeated failures lock the user name out, and an address only at a much higher count; the
address is the client's even behind the proxy; an admin lifts a lock and can always sign in; every sign-in
is recorded (finding 2); billing, approvers and superusers need a second factor."""

import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import APPROVER, BILLING, LOGISTICS, SALES

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"


def _user(name: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _client(address: str = "192.0.2.10", **headers) -> Client:
    client = Client(REMOTE_ADDR=address, **headers)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _sign_in(client, username, password=PASSWORD, code=""):
    data = {"username": username, "password": password, "otp_token": code, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data)


def _wrong(device) -> str:
    """A code the device does not show now."""
    return f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"


def _signed_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


@override_settings(AXES_ENABLED=True)
def test_repeated_failures_lock_the_user_out_until_an_admin_lifts_the_lock():
    _user("approver1", APPROVER)
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "approver1", "wrong").status_code == 200  # the form again, with its error
    assert _sign_in(client, "approver1", "wrong").status_code == 429
    locked = _sign_in(client, "approver1")  # the right password changes nothing now
    assert locked.status_code == 429
    assert "Sign-in with this user name is locked after 5 failed attempts" in locked.content.decode()
    assert not _signed_in(client)
    assert AccessFailureLog.objects.filter(username="approver1").count() >= settings.AXES_FAILURE_LIMIT

    # The lock shows in the admin, where a superuser lifts it by deleting the attempt.
    admin = _client()
    admin.force_login(User.objects.create_superuser("root", "root@example.com", PASSWORD))
    attempts = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "approver1" in attempts
    attempt = AccessAttempt.objects.get(username="approver1")
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()

    _sign_in(client, "approver1")
    assert _signed_in(client)
    assert AccessLog.objects.filter(username="approver1").exists()


@override_settings(AXES_ENABLED=True)
def test_made_up_names_from_one_address_lock_no_colleague_out():
    _user("sales1", SALES)
    office = _client()
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _sign_in(office, f"guess{n}", "wrong").status_code == 200
    _sign_in(office, "sales1")
    assert _signed_in(office)


@override_settings(AXES_ENABLED=True)
def test_one_persons_typos_lock_their_own_name_from_every_address_and_no_other_name():
    _user("clumsy", SALES)
    _user("colleague", SALES)
    desk = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(desk, "clumsy", "wrong")
    assert _sign_in(desk, "clumsy").status_code == 429
    assert _sign_in(_client("198.51.100.20"), "clumsy").status_code == 429
    neighbour = _client()  # the same office address
    _sign_in(neighbour, "colleague")
    assert _signed_in(neighbour)


@override_settings(AXES_ENABLED=True, AXES_ADDRESS_FAILURE_LIMIT=12)
def test_an_address_is_locked_at_its_own_higher_limit_but_never_against_an_admins_right_password():
    _user("sales1", SALES)
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    guesser = _client("203.0.113.66")
    for n in range(11):
        assert _sign_in(guesser, f"guess{n}", "wrong").status_code == 200
    locked = _sign_in(guesser, "guess-last", "wrong")
    assert locked.status_code == 429
    assert "Sign-in from this address is locked after 12 failed attempts" in locked.content.decode()
    assert _sign_in(guesser, "sales1").status_code == 429  # the right password of a name not locked
    assert _sign_in(guesser, "root", "wrong").status_code == 429  # a wrong try looks like any other
    _sign_in(guesser, "root")
    assert _signed_in(guesser)  # an admin can always sign in to lift the locks

    elsewhere = _client("198.51.100.20")
    _sign_in(elsewhere, "sales1")
    assert _signed_in(elsewhere)


@override_settings(AXES_ENABLED=True)
def test_an_admin_recovers_on_the_server_a_name_locked_by_someone_else():
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(_client("203.0.113.66"), "root", "wrong")
    admin = _client()
    assert _sign_in(admin, "root").status_code == 429
    call_command("axes_reset_username", "root", stdout=io.StringIO())
    _sign_in(admin, "root")
    assert _signed_in(admin)


@override_settings(AXES_ENABLED=True, BEHIND_TLS_PROXY=True, AXES_ADDRESS_FAILURE_LIMIT=3)
def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended_not_what_the_client_wrote():
    _user("sales1", SALES)
    for n in range(3):  # a different made-up address each time, before the one the proxy appends
        spoofer = _client("10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66")
        _sign_in(spoofer, f"guess{n}", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    assert _sign_in(spoofer, "sales1").status_code == 429

    colleague = _client("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")  # through the same proxy
    _sign_in(colleague, "sales1")
    assert _signed_in(colleague)


@override_settings(AXES_ENABLED=True, AXES_ADDRESS_FAILURE_LIMIT=3)
def test_without_the_proxy_a_forwarded_for_header_is_the_clients_say_and_ignored():
    for n in range(3):
        _sign_in(_client("203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), f"guess{n}", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


@override_settings(TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("role", [BILLING, APPROVER, None])
def test_money_and_approval_roles_and_superusers_must_enrol_before_anything_else(role):
    _user("who", role, is_superuser=role is None)
    client = _client()
    response = _sign_in(client, "who")
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302
    enrol = client.get(reverse("admin:login"))
    assert enrol.status_code == 302 and enrol["Location"] == reverse("two_factor_enrol")
    assert client.get(reverse("admin:customers_customer_changelist")).status_code == 302


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_enrolment_then_sign_in_with_the_code_or_a_recovery_code_once():
    user = _user("biller", BILLING)
    client = _client()
    _sign_in(client, "biller")
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "does not match" in client.post(reverse("two_factor_enrol"), {"code": _wrong(device)}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure makes the next try wait: this test does not
    done = client.post(reverse("two_factor_enrol"), {"code": f"{totp(device.bin_key):06d}"})
    codes = done.context["codes"]
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=user).count() == 10
    assert _signed_in(client)

    later = _client()
    refused = _sign_in(later, "biller")  # the password alone no longer signs in
    assert refused.status_code == 200 and not _signed_in(later)
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second step may be used once only
    device.save()
    _sign_in(later, "biller", code=f"{totp(device.bin_key):06d}")
    assert _signed_in(later)

    recovery = _client()
    _sign_in(recovery, "biller", code=codes[0])
    assert _signed_in(recovery)
    again = _client()
    _sign_in(again, "biller", code=codes[0])
    assert not _signed_in(again)


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_the_second_factors_messages_are_japanese():
    device = TOTPDevice.objects.create(user=_user("biller", BILLING), name="app", confirmed=True)
    client = _client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    pages = [_sign_in(client, "biller").content.decode()]
    pages.append(_sign_in(client, "biller", code=_wrong(device)).content.decode())
    pages.append(_sign_in(client, "biller", code=_wrong(device)).content.decode())  # before the wait is over
    assert "認証アプリに表示されたコード、またはリカバリーコードを入力してください。" in pages[0]
    assert "コードが正しくありません。" in pages[1]
    assert "コードの誤りが1回続きました。数秒待ってから" in pages[2]
    for page in pages:
        for english in ("Please enter your OTP token", "Invalid token", "Verification temporarily disabled"):
            assert english not in page
    assert not _signed_in(client)


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_recovery_code_is_read_however_typed():
    user = _user("biller", BILLING)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticToken.objects.create(device=StaticDevice.objects.create(user=user, name="codes"), token="abcd2345")
    client = _client()
    _sign_in(client, "biller", code=" ABCD-2345 ")  # in capitals with a hyphen, as read off the sheet
    assert _signed_in(client)


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_an_enrolment_code_typed_before_the_wait_after_a_wrong_one_is_told_to_wait_not_wrong():
    user = _user("biller", BILLING)
    client = _client()
    _sign_in(client, "biller")
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("two_factor_enrol"), {"code": _wrong(device)})
    too_soon = client.post(reverse("two_factor_enrol"), {"code": f"{totp(device.bin_key):06d}"}).content.decode()
    assert "1 wrong code in a row: wait a few seconds, then type the newest code." in too_soon
    assert "does not match" not in too_soon
    device.refresh_from_db()
    device.throttle_reset()  # the wait is over
    code = f"{totp(device.bin_key):06d}"
    done = client.post(reverse("two_factor_enrol"), {"code": f"{code[:3]} {code[3:]}"})  # as the app shows it
    assert len(done.context["codes"]) == 10
    assert "no-store" in done["Cache-Control"]  # the recovery codes are kept by no browser or proxy


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_the_enrolment_page_is_never_stored_and_offers_to_sign_out():
    _user("biller", BILLING)
    client = _client()
    _sign_in(client, "biller")
    page = client.get(reverse("two_factor_enrol"))
    assert "no-store" in page["Cache-Control"]
    assert f'action="{reverse("two_factor_sign_out")}"' in page.content.decode()
    assert client.post(reverse("two_factor_sign_out"))["Location"] == reverse("admin:login")
    assert "_auth_user_id" not in client.session


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_other_roles_may_sign_in_with_the_password_alone():
    _user("mover", LOGISTICS)
    client = _client()
    _sign_in(client, "mover")
    assert _signed_in(client)
    assert "Two-factor sign-in" in client.get(reverse("admin:index")).content.decode()


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_demo_switch_lets_every_role_in_with_the_password():
    _user("biller", BILLING)
    client = _client()
    _sign_in(client, "biller")
    assert _signed_in(client)

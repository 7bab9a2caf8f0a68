"""Two-factor sign-in (django-otp): who needs it, the sign-in form that asks for the code, and enrolment.

Superusers and the roles that move money or approve (billing, approver) must sign in with a TOTP code
or a recovery code; the other roles may enrol. Someone who must but has not enrolled yet signs in with
the password, is sent to the enrolment page and reaches nothing else until a code is confirmed.
``TWO_FACTOR_REQUIRED=false`` (the demo) lets everyone in with the password alone.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import APPROVER, BILLING

#: The roles whose members must sign in with a second factor.
TWO_FACTOR_ROLES = (BILLING, APPROVER)
RECOVERY_CODES = 10
WRONG_CODE = gettext_lazy("The code is wrong: type the newest code from the app, or an unused recovery code.")
#: After a wrong code the next one is checked only after a wait that doubles each time (django-otp).
THROTTLED = ngettext_lazy(
    "%(failure_count)d wrong code in a row: wait a few seconds, then type the newest code.",
    "%(failure_count)d wrong codes in a row: wait a few seconds, then type the newest code.",
    "failure_count",
)


def typed_code(text: str) -> str:
    """A code however it was typed: spaces and hyphens dropped, letters in lower case (recovery codes are
    shown in lower case; phones capitalise the first letter)."""
    return "".join(text.split()).replace("-", "").lower()


def two_factor_required(user) -> bool:
    """Whether ``user`` may reach the admin only after a second factor."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_ROLES).exists()


def lacks_second_factor(request) -> bool:
    """Signed in with the password only, though the user's role requires a second factor."""
    return two_factor_required(request.user) and not request.user.is_verified()


class SigninForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin's sign-in: user name, password and, for whoever has enrolled, the authenticator's code
    (or one of the recovery codes)."""

    otp_token = forms.CharField(
        label=gettext_lazy("Authentication code"),
        required=False,
        max_length=16,
        help_text=gettext_lazy("From your authenticator app, or a recovery code. Leave empty if not enrolled."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    #: django-otp's messages (English only) in the back-office's words; the others cannot arise here.
    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required=gettext_lazy("Type the code from your authenticator app, or a recovery code."),
        invalid_token=WRONG_CODE,
        device_required=WRONG_CODE,
        n_failed_attempts=THROTTLED,
        verification_not_allowed=gettext_lazy("The code cannot be checked now: try again in a moment."),
    )

    def clean_otp_token(self):
        return typed_code(self.cleaned_data["otp_token"])

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        """The app for a code of digits, the recovery codes otherwise (they are letters and digits)."""
        token = self.cleaned_data.get("otp_token") or ""
        devices = TOTPDevice if token.isdigit() else StaticDevice
        return devices.objects.filter(user=user, confirmed=True).first()


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code shown by the app"), max_length=8)

    def clean_code(self):
        return typed_code(self.cleaned_data["code"])


def _staff_only(request):
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff


@never_cache
def enrol_view(request):
    """Enrol an authenticator app (TOTP): scan the code, type what the app shows; the recovery codes are
    then shown once. Enrolling again replaces the app and the recovery codes. Neither page is kept by a
    browser or a proxy: they show the secret key and the recovery codes."""
    if not _staff_only(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if user_has_device(request.user) and not request.user.is_verified():
        # Replacing a second factor needs the current one: sign in with it first.
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, refusal = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", THROTTLED % refusal)
        elif device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(request.user, device)
            otp_login(request, device)
            context = {**admin.site.each_context(request), "title": _("Recovery codes"), "codes": codes}
            return TemplateResponse(request, "admin/two_factor/recovery_codes.html", context)
        else:
            form.add_error("code", _("The code does not match; check the phone's clock and type the newest code."))
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor sign-in"),
        "form": form,
        "required": two_factor_required(request.user),
        "enrolled": user_has_device(request.user),
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "key": b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "admin/two_factor/enrol.html", context)


@transaction.atomic
def _confirm(user, device) -> list[str]:
    """Make ``device`` the user's one authenticator and give them fresh recovery codes (returned)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("recovery codes"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def enrolment_redirect(request):
    """Where a signed-in user lacking the required second factor goes: enrolment if they have none."""
    if lacks_second_factor(request) and not user_has_device(request.user):
        return redirect("two_factor_enrol")
    return None


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor(app_configs, **kwargs):
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        checks.Warning(
            "TWO_FACTOR_REQUIRED is off: billing, approvers and superusers sign in with a password alone.",
            hint="Leave TWO_FACTOR_REQUIRED unset (true) outside the demo.",
            id="backoffice.W001",
        )
    ]

"""The sign-in apps' admin pages in the staff's language: django-axes' locks and logs, django-otp's devices.

django-axes marks its names for translation but ships no Japanese; django-otp's names are plain English.
Both apps are named here, django-otp's models and fields made translatable (their msgids, and axes', are
kept in ``third_party_strings``), and the admins whose titles and help are plain text registered again.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAMES = {
    "axes": _("Sign-in locks"),
    "otp_totp": _("Two-factor sign-in: authenticator apps"),
    "otp_static": _("Two-factor sign-in: recovery codes"),
}


def _translatable(text):
    return text if isinstance(text, Promise) or not text else _(str(text))


def _name_apps() -> None:
    """Give the sign-in apps their names, and django-otp's models and fields names that are translated."""
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for label in ("otp_totp", "otp_static"):
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            opts.verbose_name = _translatable(opts.verbose_name)
            opts.verbose_name_plural = _translatable(str(opts.verbose_name_plural))
            for field in opts.fields:
                field.verbose_name = _translatable(field.verbose_name)
                field.help_text = _translatable(field.help_text)


class TranslatedSections:
    """django-otp's sections (fieldsets) and search help, which it writes in plain English."""

    search_help_text = _("Search by the user's user name or e-mail address.")

    def get_fieldsets(self, request, obj=None):
        return [(name and gettext(name), options) for name, options in super().get_fieldsets(request, obj)]


class TOTPAdmin(TranslatedSections, TOTPDeviceAdmin):
    pass


class StaticAdmin(TranslatedSections, StaticDeviceAdmin):
    pass


class AttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, obj):
        return super().status(obj)


def register() -> None:
    """Name the sign-in apps and register their admins again (``BackofficeConfig.ready``: after the admin
    has registered django-axes' and django-otp's own)."""
    _name_apps()
    for model, model_admin in ((TOTPDevice, TOTPAdmin), (StaticDevice, StaticAdmin), (AccessAttempt, AttemptAdmin)):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)

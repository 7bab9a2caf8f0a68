"""System checks of the invoice settings: an invoice with a wrong issuer number is not a qualified invoice."""

from django.conf import settings
from django.core import checks

from .calc import is_registration_number, payment_terms


@checks.register()
def invoice_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    name = getattr(settings, "INVOICE_ISSUER_NAME", "")
    if not isinstance(name, str) or not name.strip():
        errors.append(
            checks.Error("INVOICE_ISSUER_NAME is empty: a qualified invoice names its issuer.", id="billing.E001")
        )
    number = getattr(settings, "INVOICE_REGISTRATION_NUMBER", "")
    if not is_registration_number(number):
        errors.append(
            checks.Error(
                f"INVOICE_REGISTRATION_NUMBER {number!r} is not 'T' followed by a corporate number with "
                "a valid check digit.",
                id="billing.E002",
            )
        )
    try:
        payment_terms()
    except (TypeError, ValueError) as exc:
        errors.append(checks.Error(f"INVOICE_PAYMENT_TERMS cannot be used: {exc}", id="billing.E003"))
    return errors

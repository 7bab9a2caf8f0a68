"""Phone numbers and postal codes as staff type them: full-width digits and the dashes of a Japanese IME
(－ ー ‐ −) are stored as ASCII, and a postal code of seven digits is written 100-0001."""

import re

from django.db import models

from .dates import typed

_POSTAL_CODE = re.compile(r"(\d{3})-?(\d{4})")


def normalise_phone(value: str) -> str:
    return typed(value) if value else value


def normalise_postal_code(value: str) -> str:
    if not value:
        return value
    text = typed(value).removeprefix("〒").strip()
    match = _POSTAL_CODE.fullmatch(text)
    return f"{match[1]}-{match[2]}" if match else text


class PhoneField(models.CharField):
    """A phone number, normalised whenever the row is validated (admin, import, ``full_clean``)."""

    def to_python(self, value):
        return normalise_phone(super().to_python(value))


class PostalCodeField(models.CharField):
    """A Japanese postal code, normalised whenever the row is validated."""

    def to_python(self, value):
        return normalise_postal_code(super().to_python(value))


__all__ = ["PhoneField", "PostalCodeField", "normalise_phone", "normalise_postal_code"]

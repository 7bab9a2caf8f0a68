"""Kana readings (フリガナ), stored and searched in one form: full-width katakana.

Staff type a reading in hiragana, in full-width or in half-width katakana. NFKC turns half-width
katakana (and full-width letters, digits and spaces) into their usual forms and hiragana is shifted
to katakana, on save (``ReadingField``) and on search (its ``reading`` lookup, as in the admin's
``search_fields = ("name_kana__reading",)``), so every way of typing finds the same rows.
"""

import unicodedata

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

#: Hiragana ぁ…ゖ and the iteration marks ゝゞ; katakana sits 0x60 code points above each.
_HIRAGANA = {*range(0x3041, 0x3097), 0x309D, 0x309E}
_TO_KATAKANA = {code: code + 0x60 for code in _HIRAGANA}


def reading(text: str) -> str:
    """``text`` as a stored reading: NFKC, hiragana as katakana."""
    return unicodedata.normalize("NFKC", text).translate(_TO_KATAKANA)


class ReadingField(models.CharField):
    """A kana reading, normalised when saved."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = reading(value)
            setattr(model_instance, self.attname, value)
        return value


@ReadingField.register_lookup
class ReadingContains(Lookup):
    """``field__reading=term``: ``icontains`` of ``term`` however it was typed."""

    lookup_name = "reading"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        term = reading(self.rhs) if isinstance(self.rhs, str) else self.rhs
        return compiler.compile(IContains(self.lhs, term))

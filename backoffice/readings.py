"""Kana readings (フリガナ), stored in one form and searched however they are typed.

Staff type a reading in hiragana, in full-width or in half-width katakana. NFKC turns half-width
katakana (and full-width letters, digits and spaces) into their usual forms and hiragana is shifted
to katakana when the reading is saved (``ReadingField``).

A reading is searched through its key (``ReadingKeyField``), the form the bank matching compares names in
(``backoffice.names``): no legal form, no small kana, long vowel marks, spaces or punctuation. The key is
stored, set from the reading whenever the row is saved or created in bulk, and searched with its ``kana``
lookup, which brings the term to the same form: ``ｶﾌﾞｼｷｶﾞｲｼｬｱｵﾊﾞ``, ``かぶしきがいしゃ あおば`` and ``アオバ`` all
find アオバシステムズ (``search_fields = ("name_kana_key__kana",)``).
"""

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

from .names import normalise, reading


def reading_key(text: str) -> str:
    """What of a reading (or a searched term) is compared: its core, as the bank matching compares names."""
    return normalise(text or "").core


class ReadingField(models.CharField):
    """A kana reading, normalised when saved."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = reading(value)
            setattr(model_instance, self.attname, value)
        return value


class ReadingKeyField(models.CharField):
    """The search key of the reading field ``source`` of the same row, set from it on every save and bulk
    creation (``pre_save``). Never typed; a bulk ``update()`` of the reading must set the key too."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None), kwargs.pop("blank", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = reading_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


@ReadingKeyField.register_lookup
class ReadingKeyContains(Lookup):
    """``key__kana=term``: the keys containing the term's key. A term that is nothing but a legal form or
    punctuation (``株式会社``, the first word of ``ｶﾌﾞｼｷｶﾞｲｼｬ ｱｵﾊﾞ``) has no key and narrows nothing, as the legal
    form is ignored."""

    lookup_name = "kana"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        term = reading_key(self.rhs) if isinstance(self.rhs, str) else self.rhs
        return compiler.compile(IContains(self.lhs, term))

"""Payer names as banks write them, and names and readings as we hold them, brought to one comparable form.

A bank writes the payer (振込依頼人名) in half-width katakana and upper-case letters, in at most 48
characters, with the legal form abbreviated: 株式会社 → ｶ), (ｶ) or (ｶ, 有限会社 → ﾕ), 合同会社 → ﾄﾞ) and
so on, before, inside or after the name. Small kana do not exist in that character set (ｷﾔﾉﾝ for
キャノン), and long vowel marks come as ｰ or a hyphen. ``normalise`` gives both sides the same
shape: full-width katakana without small kana, long vowel marks, spaces or punctuation, the legal
form taken off and kept apart. Pure functions: no database.
"""

import re
import unicodedata
from dataclasses import dataclass

#: The legal forms as banks abbreviate them (全銀協's 略語; ｼﾔ) for 社団法人, as no small kana exist), and
#: their names written out in kana.
LEGAL_FORMS = {
    "カ": ("カブシキガイシャ", "カブシキカイシャ"),
    "ユ": ("ユウゲンガイシャ", "ユウゲンカイシャ"),
    "ド": ("ゴウドウガイシャ", "ゴウドウカイシャ"),
    "メ": ("ゴウメイガイシャ", "ゴウメイカイシャ"),
    "シ": ("ゴウシガイシャ", "ゴウシカイシャ"),
    "ザイ": ("ザイダンホウジン", "イッパンザイダンホウジン", "コウエキザイダンホウジン"),
    "シヤ": ("シャダンホウジン", "イッパンシャダンホウジン", "コウエキシャダンホウジン"),
    "イ": ("イリョウホウジン",),
    "ガク": ("ガッコウホウジン",),
    "トクヒ": ("トクテイヒエイリカツドウホウジン",),
}
#: The same in kanji, as a customer's registered name has them.
LEGAL_FORMS_KANJI = {
    "株式会社": "カ",
    "有限会社": "ユ",
    "合同会社": "ド",
    "合名会社": "メ",
    "合資会社": "シ",
    "一般財団法人": "ザイ",
    "公益財団法人": "ザイ",
    "財団法人": "ザイ",
    "一般社団法人": "シヤ",
    "公益社団法人": "シヤ",
    "社団法人": "シヤ",
    "医療法人": "イ",
    "学校法人": "ガク",
    "特定非営利活動法人": "トクヒ",
}

_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
#: Long vowel marks, hyphens and dashes banks and staff type for ー; all dropped.
_DROPPED = re.compile(r"[\sー\-‐‑‒–—―−ｰ・.,，．、。'\"／/　]")
#: Hiragana ぁ…ゖ and the iteration marks ゝゞ; katakana sits 0x60 code points above each.
_TO_KATAKANA = {code: code + 0x60 for code in (*range(0x3041, 0x3097), 0x309D, 0x309E)}

# The abbreviation as a prefix "カ)", a suffix "(カ" or "(カ)", anywhere in the name.
_ABBREVIATIONS = "|".join(sorted(map(re.escape, LEGAL_FORMS), key=len, reverse=True))
_ABBREVIATED = re.compile(rf"\(({_ABBREVIATIONS})\)|^({_ABBREVIATIONS})\)|\(({_ABBREVIATIONS})$")
_SPELT_OUT = sorted(
    ((spelt.translate(_SMALL), form) for form, spellings in LEGAL_FORMS.items() for spelt in spellings),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


@dataclass(frozen=True)
class Name:
    """A name brought to its comparable core and its legal form (``""`` when none was written)."""

    core: str
    form: str = ""

    def __str__(self):
        return f"{self.form}){self.core}" if self.form else self.core


def reading(text: str) -> str:
    """``text`` as a kana reading is stored (``backoffice.readings``): NFKC (half-width kana → full-width,
    ｶﾞ → ガ, full-width letters and digits → ASCII), hiragana as katakana."""
    return unicodedata.normalize("NFKC", text).translate(_TO_KATAKANA)


def fold(text: str) -> str:
    """``reading`` in upper case, small kana → large, brackets as ASCII."""
    text = reading(text or "").upper()
    return text.translate(_SMALL).replace("（", "(").replace("）", ")")


def normalise(text: str) -> Name:
    """The payer's or customer's name as ``Name(core, form)``: ``ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ`` and ``ヤマダショウジ（カ`` and
    ``カブシキガイシャ ヤマダショウジ`` all give ``Name("ヤマダシヨウジ", "カ")``."""
    text = fold(text)
    for kanji, form in LEGAL_FORMS_KANJI.items():
        if kanji in text:
            return Name(_DROPPED.sub("", text.replace(kanji, "")), form)
    text = _DROPPED.sub("", text)
    match = _ABBREVIATED.search(text)
    if match:
        form = next(group for group in match.groups() if group)
        return Name((text[: match.start()] + text[match.end() :]).replace("(", "").replace(")", ""), form)
    for spelt, form in _SPELT_OUT:
        if text.startswith(spelt):
            return Name(text.removeprefix(spelt), form)
        if text.endswith(spelt):
            return Name(text.removesuffix(spelt), form)
    return Name(text.replace("(", "").replace(")", ""))


def key(text: str) -> str:
    """The one string two names share when they name the same payer (core and form): stored and indexed."""
    return str(normalise(text))


#: How far two names agree, for ranking a payment's candidates.
EXACT, SAME_CORE, TRUNCATED = 100, 90, 70


def agreement(payer: Name, known: Name) -> int:
    """100 when core and form agree; 90 when the cores agree and one side wrote no form; 70 when the
    bank cut the payer's name short (its core is a start of ours, 6 characters at least); else a rough
    similarity below 70 for ranking only."""
    if not payer.core or not known.core:
        return 0
    forms_agree = not payer.form or not known.form or payer.form == known.form
    if payer.core == known.core and forms_agree:
        return EXACT if payer.form == known.form else SAME_CORE
    if forms_agree and len(payer.core) >= 6 and known.core.startswith(payer.core):
        return TRUNCATED
    return int(60 * _similarity(payer.core, known.core))


def _similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio()

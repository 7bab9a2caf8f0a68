"""Payer names as banks abbreviate them, brought to one form (a table of cases, no database)."""

import pytest

from backoffice.names import EXACT, SAME_CORE, TRUNCATED, Name, agreement, key, normalise


@pytest.mark.parametrize(
    "written, expected",
    [
        ("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", Name("ヤマダシヨウジ", "カ")),  # 株式会社 before the name
        ("ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ", Name("ヤマダシヨウジ", "カ")),  # after it, bracket left open
        ("ﾔﾏﾀﾞ(ｶ)ｼｮｳｼﾞ", Name("ヤマダシヨウジ", "カ")),  # inside it
        ("カブシキガイシャ　ヤマダショウジ", Name("ヤマダシヨウジ", "カ")),  # written out, full-width space
        ("やまだしょうじ　かぶしきかいしゃ", Name("ヤマダシヨウジ", "カ")),  # hiragana, カイシャ
        ("山田商事株式会社", Name("山田商事", "カ")),
        ("ﾕ)ｻﾄｳｺｳｷﾞﾖｳ", Name("サトウコウギヨウ", "ユ")),  # 有限会社
        ("ｻﾄｳ(ﾄﾞ", Name("サトウ", "ド")),  # 合同会社, dakuten composed
        ("ｼﾔ)ﾆﾎﾝｷﾖｳｶｲ", Name("ニホンキヨウカイ", "シヤ")),  # 社団法人
        ("一般社団法人日本協会", Name("日本協会", "シヤ")),
        ("ｷﾔﾉﾝﾏｰｹﾃｨﾝｸﾞ", Name("キヤノンマケテイング", "")),  # long vowel and small kana
        ("キャノン・マーケティング", Name("キヤノンマケテイング", "")),
        ("ABC ﾄﾚｰﾃﾞｨﾝｸﾞ", Name("ABCトレデイング", "")),
        ("ＡＢＣ－トレーディング", Name("ABCトレデイング", "")),
    ],
)
def test_normalise(written, expected):
    assert normalise(written) == expected


def test_the_key_is_the_same_however_the_bank_abbreviates():
    assert len({key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ"), key("ﾔﾏﾀﾞｼｮｳｼﾞ(ｶ)"), key("株式会社ヤマダショウジ")}) == 1
    assert key("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ") != key("ﾕ)ﾔﾏﾀﾞｼｮｳｼﾞ")


@pytest.mark.parametrize(
    "payer, known, score",
    [
        ("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", "ヤマダショウジ(カ", EXACT),
        ("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", "ヤマダショウジ", SAME_CORE),  # our kana reading carries no legal form
        ("ﾔﾏﾀﾞｼｮｳｼﾞ", "カブシキガイシャヤマダショウジ", SAME_CORE),
        ("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞﾄｳｷﾖｳｼﾃ", "ヤマダショウジトウキョウシテンホンブ", TRUNCATED),  # cut short by the bank
    ],
)
def test_agreement(payer, known, score):
    assert agreement(normalise(payer), normalise(known)) == score


def test_another_legal_form_or_name_does_not_agree():
    assert agreement(normalise("ﾕ)ﾔﾏﾀﾞｼｮｳｼﾞ"), normalise("株式会社ヤマダショウジ")) < SAME_CORE
    assert agreement(normalise("ｶ)ﾔﾏﾀﾞｼﾖｳｶｲ"), normalise("ヤマダショウジ")) < TRUNCATED
    assert agreement(normalise(""), normalise("ヤマダ")) == 0

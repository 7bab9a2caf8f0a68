"""Reading the 全銀協 files as banks send them (bytes written by hand from the specification)."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError

from receivables.parsers import zengin

from . import zengin_bytes as z

pytestmark = pytest.mark.usefixtures("english")


def notice(*data, trailer=None, separator=b""):
    trailer = trailer or z.notice_trailer(len(data), 0)
    return separator.join([z.notice_header(), *data, trailer, z.end()])


def test_a_transfer_notice_without_line_breaks():
    data = notice(
        z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),
        z.notice_data(2, 5_500, "ﾕ)ｻﾄｳｺｳｷﾞﾖｳ", payer_code=123),
        trailer=z.notice_trailer(2, 16_500),
    )
    assert len(data) == 5 * 200
    content = zengin.parse(data)
    assert content.kind == "01" and content.accounts == ["0009-100-1-0001234567"]
    first, second = content.records
    assert (first.number, first.reference, first.booked_on, first.amount) == (2, "1", D(2025, 3, 31), 11_000)
    assert first.payer_name == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"  # kept as the bank wrote it, half-width
    assert (second.payer_code, second.cancelled) == ("123", False)


@pytest.mark.parametrize("separator", [b"\r\n", b"\n"])
def test_records_with_line_breaks_and_an_eof_byte(separator):
    data = notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"), trailer=z.notice_trailer(1, 11_000), separator=separator)
    assert len(zengin.parse(data + separator + b"\x1a").records) == 1


def test_a_cancellation_counts_apart_in_the_trailer():
    data = notice(
        z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"),
        z.notice_data(2, 3_000, "ｻﾄｳ", cancelled="1"),
        trailer=z.notice_trailer(1, 11_000, 1, 3_000),
    )
    assert [r.cancelled for r in zengin.parse(data).records] == [False, True]


def test_a_statement_reads_deposits_and_withdrawals():
    data = b"".join(
        [
            z.statement_header(),
            z.statement_data(1, 1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),
            z.statement_data(2, 2, 2_000, "", transaction=14),
            z.statement_trailer(1, 11_000, 1, 2_000, 1_009_000, 2),
            z.statement_end(5),
        ]
    )
    content = zengin.parse(data)
    assert content.kind == "03" and content.accounts == ["0005-001-1-0001234567"]
    assert [(r.reference, r.deposit, r.amount) for r in content.records] == [
        ("1", True, 11_000),
        ("2", False, 2_000),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"), trailer=z.notice_trailer(1, 11_001)), "“振込合計金額” says 11001"),
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"), trailer=z.notice_trailer(2, 11_000)), "“振込合計件数” says 2"),
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"), trailer=z.notice_trailer(1, 11_000))[:-200], "without its end record"),
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ"))[:-1], "is 199 bytes"),
        (z.notice_header() + z.notice_data(1, 1, "ﾔﾏﾀﾞ") + z.end(), r"end record \(9\) comes last"),
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ", booked="071332")), "not a date"),
        (notice(z.notice_data(1, 11_000, "ﾔﾏﾀﾞ").replace(b"0000011000", b"00000110X0")), "“金額”"),
        (b"2" + b" " * 199, "first record is no header"),
    ],
)
def test_a_broken_file_is_refused_naming_the_record(data, message):
    with pytest.raises(ValidationError, match=message):
        zengin.parse(data)


@pytest.mark.parametrize(
    "text, day",
    [("070331", D(2025, 3, 31)), ("010501", D(2019, 5, 1)), ("310430", D(2019, 4, 30)), ("300101", D(2048, 1, 1))],
)
def test_era_dates(text, day):
    assert zengin.era_date(text) == day


def test_a_heisei_day_after_its_end_is_no_date():
    with pytest.raises(ValueError):
        zengin.era_date("310501")

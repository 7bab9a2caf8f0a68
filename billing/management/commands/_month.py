"""What billing's commands share: the month argument."""

import argparse
import re


def month_argument(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month), refused by the parser otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2099:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month YYYY-MM (1900-01 to 2099-12)")
    return int(match.group(1)), int(match.group(2))

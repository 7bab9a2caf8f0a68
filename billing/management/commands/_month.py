"""What billing's commands share: the month argument and the user recorded in the history."""

import argparse
import re

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def month_argument(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month), refused by the parser otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2099:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month YYYY-MM (1900-01 to 2099-12)")
    return int(match.group(1)), int(match.group(2))


def system_user(login: str | None):
    """The user named ``login`` (refused if unknown), or None: the history then records the system."""
    if login is None:
        return None
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(f"No user {login!r}.")
    return user

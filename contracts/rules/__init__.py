"""The rules of the five service terms. Importing this package registers every rule."""

from . import common  # noqa: F401  (registers rules)
from .registry import check_contract, check_option, contracts_ending_with, refuse

__all__ = ["check_contract", "check_option", "contracts_ending_with", "refuse"]

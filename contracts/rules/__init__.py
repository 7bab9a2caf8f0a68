"""The rules of the five service terms. Importing this package registers every rule."""

from . import cloud_proxy, common, cxm2, isp_platform, managed_router, smart_hub  # noqa: F401  (registers rules)
from .registry import check_contract, check_option, contracts_ending_with, refuse

__all__ = ["check_contract", "check_option", "contracts_ending_with", "refuse"]

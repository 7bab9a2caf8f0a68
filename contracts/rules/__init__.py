"""The rules of the five service terms. Importing this package registers every rule.

``hooks``: what rules register on and how they refuse; ``queries``: what they read;
``cascades``: what ends together with a row; ``checks``: running them, for models and services.
"""

from . import cloud_proxy, common, cxm2, isp_platform, managed_router, smart_hub  # noqa: F401  (registers rules)
from .checks import (
    check_contract,
    check_contract_end,
    check_option,
    check_option_end,
    contract_end_followers,
    related_end_followers,
)
from .hooks import refuse

__all__ = [
    "check_contract",
    "check_contract_end",
    "check_option",
    "check_option_end",
    "contract_end_followers",
    "refuse",
    "related_end_followers",
]

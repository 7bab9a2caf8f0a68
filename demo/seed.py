"""``seed_demo``: every app's demo data, added by its contributor in order.

A contributor is a function ``(seed, user) -> list[str]`` that creates what is missing of its part
of the data set (so a second run changes nothing) and returns lines for the command to print.
An app that brings demo data adds its contributor here, after those whose data it builds on.
"""

from . import billing_data, contract_data, equipment_data, report_data, sla_data
from .login import demo_user

DEFAULT_SEED = 2026

#: Called in this order: customers and contracts first, then what refers to them.
CONTRIBUTORS = [
    contract_data.contribute,
    equipment_data.contribute,
    sla_data.contribute,
    billing_data.contribute,
    report_data.contribute,
]


def seed(seed: int = DEFAULT_SEED, user=None) -> list[str]:
    user = user or demo_user()
    return [line for contribute in CONTRIBUTORS for line in contribute(seed, user)]

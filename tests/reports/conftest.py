"""A month of contracts with a known outcome: March 2025."""

from datetime import date

import pytest

from contracts.choices import ServiceCode, TerminationReason
from contracts.models import ChangeKind, ContractChange
from contracts.services import lifecycle
from tests import factories as f

D = date
HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def march(today, staff):
    """A (in force since January, with an option and a change in March, hostile customer name), B (new in
    March), C (Managed Router ended in March), D (applied only), E (accepted in April)."""
    today(D(2025, 6, 1))
    a = f.activate(f.contract(ServiceCode.CXM2, f.customer(name=HOSTILE)), by=staff)
    b = f.activate(f.contract(ServiceCode.CXM2), accepted_on=D(2025, 3, 5), billing_on=D(2025, 3, 10), by=staff)
    c = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), by=staff)
    lifecycle.terminate(c, on=D(2025, 3, 20), reason=TerminationReason.GT_ART28_2, by=staff)
    d = f.contract(ServiceCode.CXM2)
    e = f.activate(f.contract(ServiceCode.MANAGED_ROUTER), accepted_on=D(2025, 4, 2), billing_on=D(2025, 4, 3))
    option = f.activate(f.option(a, "cxm2.napt"), accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 1), by=staff)
    change = ContractChange.objects.create(
        contract=a, kind=ChangeKind.ROUTE, accepted_on=D(2025, 3, 15), old_value="x", new_value="y", fee=10_000
    )
    for row in (a, b, c):
        row.refresh_from_db()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "option": option, "change": change}

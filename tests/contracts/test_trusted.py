"""What a trusted caller (the import) leaves out of ``full_clean`` is what it passes openly, and only that."""

import pytest
from django.core.exceptions import ValidationError

from contracts.choices import ServiceCode
from contracts.models import Contract
from contracts.trusted import Trusted
from tests import factories as f

pytestmark = pytest.mark.django_db


def _errors(contract, **checks) -> dict:
    with pytest.raises(ValidationError) as refused:
        contract.full_clean(**checks)
    return refused.value.message_dict


def _same_number_as(taken: Contract) -> Contract:
    return Contract(
        customer=taken.customer,
        item=taken.item,
        service=taken.service,
        number=taken.number,
        **f.SERVICE_DEFAULTS[ServiceCode.CXM2],
        applied_on=taken.applied_on,
    )


def test_a_taken_number_is_looked_up_unless_the_caller_read_it_free():
    taken = f.contract(ServiceCode.CXM2)
    assert "number" in _errors(_same_number_as(taken))
    assert "number" in _errors(_same_number_as(taken), trusted=Trusted(numbers_taken={taken.number}))
    _same_number_as(taken).full_clean(trusted=Trusted())  # read free by the caller: the database tells


def test_a_trusted_caller_still_has_every_check_constraint_run():
    active = f.contract(ServiceCode.CXM2)
    contract = _same_number_as(active)
    contract.number, contract.standby_of = "", active  # an Active contract names no partner (CXM2 art. 5)
    assert "standby_of" in _errors(contract, trusted=Trusted())

"""Fixtures of the equipment tests: a live Managed Router contract, a live router rental option, a model
with its price list, units in stock, and the staff of each role."""

import itertools
from datetime import date

import pytest
from django.contrib.auth.models import Group

from backoffice.roles import APPROVER, LOGISTICS
from contracts.choices import ServiceCode
from equipment.choices import ChargeKind
from equipment.models import PriceListEntry, Unit, UnitModel
from equipment.services import units
from tests import factories as f

D = date
_serials = itertools.count(1)


@pytest.fixture
def router_contract():
    """A Managed Router LL contract billed from 2025-01-15 (minimum period to 2026-01-14)."""
    return f.activate(f.contract(ServiceCode.MANAGED_ROUTER))


@pytest.fixture
def rental_option():
    """An ISP Platform router rental option for 2 units, billed from 2025-01-15 (5,000 yen per unit to cancel)."""
    contract = f.activate(f.contract(ServiceCode.ISP_PLATFORM))
    return f.activate(f.option(contract, "isp_platform.router_rental", units=2))


@pytest.fixture
def unit_model():
    model = UnitModel.objects.create(code="rx-100", maker="Yamaha", name="RTX1300", accessories="power unit, cables")
    PriceListEntry.objects.create(unit_model=model, kind=ChargeKind.LOSS, amount=80_000)
    PriceListEntry.objects.create(unit_model=model, kind=ChargeKind.DAMAGE, amount=40_000)
    PriceListEntry.objects.create(unit_model=model, kind=ChargeKind.FAILURE_HANDLING, amount=15_000)
    return model


def new_unit(unit_model, *, by=None, on=D(2025, 1, 2)) -> Unit:
    unit = Unit(serial=f"SN{next(_serials):06d}", unit_model=unit_model, acquired_on=on, acquisition_cost=60_000)
    return units.add_unit(unit, on=on, by=by)


@pytest.fixture
def make_unit(unit_model):
    return lambda **kw: new_unit(unit_model, **kw)


def installed(unit, *, contract=None, option=None, by=None, on=D(2025, 1, 20)):
    """``unit`` assigned, shipped and installed on ``on``."""
    units.assign(unit, on=on, by=by, contract=contract, option=option)
    units.ship(unit, on=on, by=by, carrier="Yamato", tracking_number="1234-5678")
    units.install(unit, on=on, by=by)
    unit.refresh_from_db()
    return unit


def staff_of(django_user_model, role: str, name: str):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def logistics(django_user_model):
    return staff_of(django_user_model, LOGISTICS, "logi")


@pytest.fixture
def approver(django_user_model):
    return staff_of(django_user_model, APPROVER, "appr")


@pytest.fixture
def second_approver(django_user_model):
    return staff_of(django_user_model, APPROVER, "appr2")

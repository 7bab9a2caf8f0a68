"""Fixtures of the equipment tests: a live Managed Router contract, a live router rental option, a model
with its price list, units in stock, and the staff of each role."""

import pytest
from django.contrib.auth.models import Group

from backoffice.roles import APPROVER, LOGISTICS
from tests.admin.conftest import staff_client as staff_client

from . import factories as ef
from .factories import installed as installed


@pytest.fixture
def router_contract():
    """A Managed Router LL contract billed from 2025-01-15 (minimum period to 2026-01-14)."""
    return ef.router_contract()


@pytest.fixture
def rental_option():
    """An ISP Platform router rental option for 2 units, billed from 2025-01-15 (5,000 yen per unit to cancel)."""
    return ef.rental_option()


@pytest.fixture
def unit_model():
    return ef.unit_model(code="rx-100")


@pytest.fixture
def make_unit(unit_model):
    return lambda **kw: ef.unit(unit_model, **kw)


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

"""Builders of equipment rows for tests: a unit model with its price list, units, and rows in each state."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from contracts.choices import ServiceCode
from equipment.choices import ChargeKind, IncidentKind, ReminderKind
from equipment.models import PriceListEntry, Unit, UnitModel
from equipment.services import charges, incidents, reminders, units
from tests import factories as f

D = date
RECEIVED_ON = D(2025, 1, 2)
INSTALLED_ON = D(2025, 1, 20)
_seq = itertools.count(1)


def unit_model(**kw) -> UnitModel:
    n = next(_seq)
    kw = {"code": f"model-{n}", "maker": "Yamaha", "name": f"RTX{n}", "accessories": "power unit, cables", **kw}
    model = UnitModel.objects.create(**kw)
    for kind, amount in ((ChargeKind.LOSS, 80_000), (ChargeKind.DAMAGE, 40_000), (ChargeKind.FAILURE_HANDLING, 15_000)):
        PriceListEntry.objects.create(unit_model=model, kind=kind, amount=amount)
    return model


def unit(model: UnitModel | None = None, *, by=None, on=RECEIVED_ON) -> Unit:
    row = Unit(serial=f"SN{next(_seq):06d}", unit_model=model or unit_model(), acquired_on=on, acquisition_cost=60_000)
    return units.add_unit(row, on=on, by=by)


def router_contract():
    """A Managed Router LL contract billed from 2025-01-15."""
    return f.activate(f.contract(ServiceCode.MANAGED_ROUTER))


def rental_option(units_count: int = 2):
    """An ISP Platform router rental option billed from 2025-01-15 (5,000 yen per unit to cancel)."""
    contract = f.activate(f.contract(ServiceCode.ISP_PLATFORM))
    return f.activate(f.option(contract, "isp_platform.router_rental", units=units_count))


def installed(row: Unit, *, contract=None, option=None, by=None, on=INSTALLED_ON) -> Unit:
    """``row`` assigned, shipped and installed on ``on``."""
    units.assign(row, on=on, by=by, contract=contract, option=option)
    units.ship(row, on=on, by=by, carrier="Yamato", tracking_number="1234-5678")
    units.install(row, on=on, by=by)
    row.refresh_from_db()
    return row


def loss(contract=None):
    return incidents.report_loss_or_damage(
        installed(unit(), contract=contract or router_contract()), IncidentKind.LOSS, on=D(2025, 3, 1)
    )


def overdue_rental(option=None):
    """A rented ISP router asked back by 2025-04-14 and flagged overdue on the 15th (ISP Platform art. 7 ¶4):
    followed up from the 21st, not a loss until staff record it lost."""
    contract_option = option or rental_option()
    row = installed(unit(), option=contract_option)
    units.request_return(row, on=D(2025, 3, 31), deadline=D(2025, 4, 14))
    return incidents.flag_overdue(row, today=D(2025, 4, 15))


def assessed_charge(contract=None):
    assessor = get_user_model().objects.create_user(f"assessor{next(_seq)}")
    return charges.assess(loss(contract), on=D(2025, 3, 2), by=assessor)


def reminder():
    contract = router_contract()
    contract.customer.failure_contact_email = "noc@example.jp"
    contract.customer.save()
    row = installed(unit(), contract=contract)
    units.request_return(row, on=D(2025, 5, 31), deadline=D(2025, 6, 30))
    return reminders.claim(row, ReminderKind.BEFORE, today=D(2025, 6, 23))

"""The demo's rented equipment: two router models with their price list, and units played through the
equipment services onto the demo's live Managed Router contracts and router rental option, so that
every state of a unit shows, with an overdue return, a failure, a loss with an approved charge.

All or nothing in one transaction; a second run finds the demo models and changes nothing. Each unit
lives on its own contract (one install each), so no demo move records a Managed Router equipment change.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.roles import APPROVER
from contracts import selectors
from equipment.choices import Cause, ChargeKind, IncidentKind, Resolution, UnitState
from equipment.models import PriceListEntry, Unit, UnitModel
from equipment.services import charges, incidents, units

MODELS = (
    ("demo-rtx1300", "ヤマハ", "RTX1300", "電源アダプタ、LANケーブル2本、管理ラベル", (80_000, 40_000, 15_000)),
    ("demo-ix2215", "NEC", "UNIVERGE IX2215", "電源ケーブル、LANケーブル、管理ラベル", (60_000, 30_000, 15_000)),
)
CARRIER = "ヤマト運輸"


class Story:
    """Dates and the staff for one contract's units: from its acceptance (or 120 days ago), never after today."""

    def __init__(self, user, approver, today: date):
        self.user, self.approver, self.today = user, approver, today
        self.serial = 0

    def unit(self, model: UnitModel, received_on: date) -> Unit:
        self.serial += 1
        row = Unit(serial=f"DEMO-{self.serial:04d}", unit_model=model, acquired_on=received_on, acquisition_cost=58_000)
        return units.add_unit(row, on=received_on, by=self.user, note="demo")

    def day(self, holder, offset: int) -> date:
        start = max(holder.accepted_on, self.today - timedelta(days=120))
        return min(start + timedelta(days=offset), self.today)

    def out(self, unit, holder, *, install=True, **where):
        units.assign(unit, on=self.day(holder, 1), by=self.user, **where)
        units.ship(unit, on=self.day(holder, 2), by=self.user, carrier=CARRIER, tracking_number=f"4000-{unit.pk:04d}")
        if install:
            units.install(unit, on=self.day(holder, 4), by=self.user)
        return unit


def _models() -> list[UnitModel]:
    rows = []
    for code, maker, name, accessories, prices in MODELS:
        model = UnitModel.objects.create(code=code, maker=maker, name=name, accessories=accessories)
        for kind, amount in zip((ChargeKind.LOSS, ChargeKind.DAMAGE, ChargeKind.FAILURE_HANDLING), prices, strict=True):
            PriceListEntry.objects.create(unit_model=model, kind=kind, amount=amount)
        rows.append(model)
    return rows


def _approver():
    """The demo's approver login (``ensure_demo_login`` gives it its password)."""
    user, created = get_user_model().objects.get_or_create(username=APPROVER, defaults={"is_staff": True})
    if created:  # no password yet: ensure_demo_login then sets the demo one
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=APPROVER)[0])
    return get_user_model().objects.get(pk=user.pk)


@transaction.atomic
def _play(user) -> None:
    today = timezone.localdate()
    story = Story(user, _approver(), today)
    rtx, ix = _models()
    received = today - timedelta(days=150)
    c = list(selectors.managed_router_contracts())
    new = [story.unit(rtx if n % 2 else ix, received) for n in range(18)]

    story.out(new[0], c[0], contract=c[0])  # installed
    incidents.report_failure(story.out(new[1], c[1], contract=c[1]), on=story.day(c[1], 20), by=user)
    failing = incidents.report_failure(story.out(new[2], c[2], contract=c[2]), on=story.day(c[2], 20), by=user)
    incidents.start_investigation(failing, on=story.day(c[2], 21), by=user)
    no_fault = incidents.report_failure(story.out(new[3], c[3], contract=c[3]), on=story.day(c[3], 20), by=user)
    incidents.start_investigation(no_fault, on=story.day(c[3], 21), by=user)
    incidents.resolve_failure(
        no_fault, cause=Cause.NO_FAILURE, resolution=Resolution.NO_ACTION, on=story.day(c[3], 22), by=user
    )
    charges.assess(no_fault, on=story.day(c[3], 23), by=user)  # awaiting approval

    lost = incidents.report_loss_or_damage(
        story.out(new[4], c[4], contract=c[4]), IncidentKind.LOSS, on=story.day(c[4], 20), by=user
    )
    incidents.ship_replacement(lost, new[5], on=story.day(c[4], 21), by=user, carrier=CARRIER, tracking_number="4100-1")
    loss_charge = charges.assess(lost, on=story.day(c[4], 22), by=user)
    charges.approve(loss_charge, on=story.day(c[4], 23), by=story.approver, note="demo")
    units.mark_found(lost.unit, on=story.day(c[4], 30), by=user, note="顧客の倉庫で発見（負担金は返金しない）")

    damaged = incidents.report_loss_or_damage(
        story.out(new[6], c[5], contract=c[5]), IncidentKind.DAMAGE, on=story.day(c[5], 20), by=user
    )
    charges.assess(damaged, on=story.day(c[5], 21), by=user, amount=25_000, reason="外装の破損のみ")

    late = story.out(new[7], c[6], contract=c[6])
    units.request_return(late, on=story.day(c[6], 10), deadline=today - timedelta(days=3), by=user)
    incidents.flag_overdue(late, today=today, by=user)  # not returned: a loss incident to assess
    awaited = story.out(new[8], c[7], contract=c[7])
    units.request_return(awaited, on=story.day(c[7], 10), deadline=today + timedelta(days=10), by=user)

    units.assign(new[9], on=story.day(c[8], 1), by=user, contract=c[8])  # to ship
    story.out(new[10], c[9], contract=c[9], install=False)  # to install

    for unit, contract, last in ((new[11], c[10], "returned"), (new[12], c[11], "refurbished"), (new[13], c[10], "")):
        story.out(unit, contract, contract=contract, install=False)
        units.request_return(unit, on=story.day(contract, 5), deadline=story.day(contract, 40), by=user)
        units.receive_return(unit, on=story.day(contract, 8), by=user, carrier=CARRIER, tracking_number="4200-1")
        if last != "returned":
            units.refurbish(unit, on=story.day(contract, 9), by=user)
        if not last:
            units.restock(unit, on=story.day(contract, 10), by=user)
    units.dispose(new[14], on=today - timedelta(days=30), by=user, note="初期不良")

    for option in selectors.router_rental_options()[:1]:
        story.out(new[15], option, option=option)


def contribute(seed: int, user) -> list[str]:
    if UnitModel.objects.filter(code=MODELS[0][0]).exists():
        return [_("Demo equipment: already present.")]
    _play(user)
    states = dict(Unit.objects.values_list("status").annotate(n=Count("pk")))
    return [
        _("Demo equipment: %(states)s")
        % {"states": ", ".join(f"{UnitState(state).label} {n}" for state, n in sorted(states.items()))}
    ]

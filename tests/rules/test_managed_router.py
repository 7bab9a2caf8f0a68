"""Managed Router rules (SPEC §5): each rule with an allowed and a refused case, naming its article."""

from datetime import date

import pytest

from backoffice.exceptions import InvalidTransition, RuleRefusal
from contracts.choices import LegacyRouterType, ServiceCode, Status
from contracts.models import ChangeKind
from contracts.rules.managed_router import legacy_mapping
from contracts.services import changes, lifecycle
from contracts.services.managed_router import record_equipment_change
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


D = date
MR = ServiceCode.MANAGED_ROUTER
LL, XA, DC = "managed_router.ll", "managed_router.xa", "managed_router.dc"
COLD_STANDBY, SWITCH = "managed_router.cold_standby", "managed_router.managed_switch"


def router(item=LL, *, related_kind=None, isp_business=False, related_kw=None, other_customer=False, **kw):
    """A managed router contract whose related contract is set up as the case says (None: no related contract)."""
    cust = f.customer()
    if related_kind is not None:
        owner = f.customer() if other_customer else cust
        kw["related_contract"] = f.related(owner, related_kind, isp_business=isp_business, **(related_kw or {}))
    else:
        kw.setdefault("related_contract", None)
    return f.contract(MR, cust, item=item, **kw)


CONN, DATA_CENTER = RelatedKind.CONNECTIVITY, RelatedKind.DATA_CENTER


@pytest.mark.parametrize(
    ("item", "setup", "article"),
    [
        (LL, {"related_kind": CONN}, None),
        (LL, {"related_kind": DATA_CENTER}, "Managed Router art. 1"),
        (XA, {"related_kind": CONN, "isp_business": True}, None),
        (XA, {"related_kind": CONN}, "Managed Router art. 1"),
        (DC, {"related_kind": DATA_CENTER}, None),
        (DC, {"related_kind": CONN}, "Managed Router art. 1"),
        (LL, {"related_kind": CONN, "related_kw": {"ended_on": D(2024, 12, 31)}}, "Managed Router art. 1"),
        (LL, {"related_kind": CONN, "related_kw": {"started_on": D(2025, 2, 1)}}, "Managed Router art. 1"),
        (LL, {"related_kind": CONN, "related_kw": {"ended_on": D(2025, 1, 6)}}, None),
        (LL, {"related_kind": None}, "Managed Router art. 4"),
        (LL, {"related_kind": CONN, "other_customer": True}, "Managed Router art. 4"),
        (LL, {"related_kind": CONN, "legacy_type": LegacyRouterType.STANDARD}, None),
        (DC, {"related_kind": DATA_CENTER, "legacy_type": LegacyRouterType.DC_SINGLE}, None),
        (LL, {"related_kind": CONN, "legacy_type": LegacyRouterType.DC_STANDARD}, "supplementary provisions 2005"),
    ],
    ids=[
        "ll-connectivity",
        "ll-data-center-refused",
        "xa-isp-business",
        "xa-without-isp-business-refused",
        "dc-data-center",
        "dc-connectivity-refused",
        "related-ended-before-refused",
        "related-formed-after-refused",
        "related-ends-on-the-day",
        "no-related-contract-refused",
        "related-of-other-customer-refused",
        "legacy-standard-is-ll",
        "legacy-dc-is-dc",
        "legacy-dc-as-ll-refused",
    ],
)
def test_contract_rules_through_full_clean(item, setup, article):
    contract = router(item, **setup)
    with f.refused(article):
        contract.full_clean()


def _first_router(status):
    """The first managed router contract of a connectivity contract, in ``status``."""
    first = router(LL, related_kind=CONN)
    if status not in (Status.APPLIED, Status.WITHDRAWN):
        f.activate(first)
    if status == Status.CANCELLING:
        lifecycle.register_notice(first, received_on=D(2025, 3, 1))
    if status == Status.TERMINATED:
        lifecycle.terminate(first, on=D(2025, 3, 1), reason="gt_art28_2")
    if status == Status.WITHDRAWN:
        lifecycle.withdraw(first)
    return first


@pytest.mark.parametrize(
    ("first_status", "article"),
    [
        pytest.param(Status.ACTIVE, "Managed Router art. 4", id="first-live"),
        pytest.param(Status.APPLIED, "Managed Router art. 4", id="first-applied"),
        pytest.param(Status.CANCELLING, None, id="first-under-cancellation-is-replaced"),
        pytest.param(Status.TERMINATED, None, id="first-ended"),
        pytest.param(Status.WITHDRAWN, None, id="first-withdrawn"),
    ],
)
def test_one_router_contract_per_connectivity_contract(first_status, article):
    """Regression: two live managed routers on one connectivity contract were accepted (art. 4)."""
    first = _first_router(first_status)
    second = f.contract(MR, first.customer, item=LL, related_contract=first.related_contract, applied_on=D(2025, 3, 2))
    with f.refused(article):
        lifecycle.accept(second, on=D(2025, 3, 3))
    second.refresh_from_db()
    assert second.status == (Status.ACCEPTED if article is None else Status.APPLIED)


def test_a_router_under_cancellation_keeps_its_notice_beside_its_successor():
    """The successor applied for while the first is cancelling does not make the first one's rules refuse."""
    first = _first_router(Status.CANCELLING)
    f.contract(MR, first.customer, item=LL, related_contract=first.related_contract, applied_on=D(2025, 3, 2))
    first.full_clean()


def test_each_connectivity_contract_may_have_its_own_router():
    first = _first_router(Status.ACTIVE)
    other_unit = f.related(first.customer, CONN)
    second = f.contract(MR, first.customer, item=LL, related_contract=other_unit)
    lifecycle.accept(second, on=D(2025, 1, 10))


def test_prerequisite_is_checked_on_the_acceptance_day(staff):
    contract = router(LL, related_kind=CONN, related_kw={"ended_on": D(2025, 1, 8)})
    contract.full_clean()  # live on the application day
    with f.refused("Managed Router art. 1"):
        lifecycle.accept(contract, on=D(2025, 1, 10), by=staff)
    contract.refresh_from_db()
    assert contract.status == Status.APPLIED


def test_same_item_is_no_change(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    assert changes.accept_change(contract, on=D(2025, 3, 1), by=staff, item_id=LL) == []


@pytest.mark.parametrize("through", ["accept_change", "full_clean"])
def test_item_never_changes(staff, through):
    # the related contract would suit XA too, so only the change rule refuses
    contract = f.activate(router(LL, related_kind=CONN, isp_business=True), by=staff)
    with f.refused("Managed Router art. 6 ¶2"):
        if through == "accept_change":
            changes.accept_change(contract, on=D(2025, 3, 1), by=staff, item_id=XA)
        else:
            contract.item_id = XA
            contract.full_clean()
    contract.refresh_from_db()
    assert contract.item_id == LL and not contract.changes.exists()


@pytest.mark.parametrize(
    ("item", "related_kind", "kind", "article"),
    [
        (LL, CONN, COLD_STANDBY, None),
        (DC, DATA_CENTER, COLD_STANDBY, "Managed Router art. 2"),
        (DC, DATA_CENTER, SWITCH, None),
        (DC, DATA_CENTER, "managed_router.multihome", None),
    ],
    ids=["cold-standby-ll", "cold-standby-dc-refused", "switch-dc", "multihome-dc"],
)
def test_option_kind_rules_through_full_clean(item, related_kind, kind, article):
    option = f.option(router(item, related_kind=related_kind), kind)
    with f.refused(article):
        option.full_clean()


@pytest.mark.parametrize(
    ("first_status", "article"),
    [("live", "Managed Router art. 6"), ("terminated", None), ("applied", None)],
    ids=["second-live-refused", "after-the-first-ended", "first-only-applied"],
)
def test_each_option_kind_once_live_through_lifecycle(staff, first_status, article):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    first = f.option(contract, SWITCH)
    if first_status != "applied":
        f.activate(first, accepted_on=D(2025, 2, 1), billing_on=D(2025, 2, 1), by=staff)
    if first_status == "terminated":
        lifecycle.terminate(first, on=D(2025, 3, 1), reason="gt_art28_2", by=staff)
    second = f.option(contract, SWITCH, applied_on=D(2025, 3, 2))
    with f.refused(article):
        lifecycle.accept(second, on=D(2025, 3, 3), by=staff)
    second.refresh_from_db()
    assert second.status == (Status.ACCEPTED if article is None else Status.APPLIED)


def test_option_change_restarts_its_minimum_period(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    option = f.activate(f.option(contract, SWITCH), by=staff)
    assert option.min_period_end_on == D(2026, 1, 14)

    [record] = changes.accept_change(option, on=D(2025, 6, 10), by=staff, units=2)

    option.refresh_from_db()
    assert (option.min_period_start_on, option.min_period_end_on) == (D(2025, 6, 10), D(2026, 6, 9))
    assert record.restarts_min_period and record.fee == option.kind.change_fee == 5000
    contract.refresh_from_db()
    assert contract.min_period_start_on == D(2025, 1, 15)  # the contract's own period is untouched (art. 5 ¶4)


def test_contract_change_does_not_restart_the_contract_period(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    other = f.related(contract.customer, CONN)
    [record] = changes.accept_change(contract, on=D(2025, 6, 10), by=staff, related_contract=other)
    contract.refresh_from_db()
    assert not record.restarts_min_period and contract.min_period_start_on == D(2025, 1, 15)


def test_equipment_change_restarts_the_contract_period_and_charges_the_change_fee(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    change = record_equipment_change(contract, on=D(2025, 7, 1), by=staff, note="router replaced by a larger model")
    assert (change.kind, change.fee, change.restarts_min_period) == (ChangeKind.EQUIPMENT, 10000, True)
    assert (contract.min_period_start_on, contract.min_period_end_on) == (D(2025, 7, 1), D(2026, 6, 30))
    assert contract.history.first().history_change_reason.startswith("Equipment changed")


def test_equipment_change_fee_can_be_overridden(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    change = record_equipment_change(contract, on=D(2025, 3, 2), by=staff, fee=0)
    assert (change.fee, change.restarts_min_period, contract.min_period_start_on) == (0, True, D(2025, 3, 2))


@pytest.mark.parametrize("billing_on", [None, D(2025, 1, 12)], ids=["not-billed-yet", "on-the-billing-start"])
def test_equipment_up_to_the_billing_start_is_the_delivery_not_a_change(staff, billing_on):
    """Art. 3: the routers we choose and install until billing starts are what we owe under the contract,
    not a change of it (art. 6 ¶1 (1)): nothing recorded, no 10,000 yen fee, nothing restarted."""
    contract = router(LL, related_kind=CONN)
    lifecycle.accept(contract, on=D(2025, 1, 10), by=staff)
    if billing_on:
        lifecycle.start_billing(contract, on=billing_on, by=staff)
    with f.refused("delivery owed under Managed Router art. 3"):
        record_equipment_change(contract, on=D(2025, 1, 12), by=staff)
    contract.refresh_from_db()
    assert not contract.changes.exists()
    assert contract.min_period_start_on == billing_on


@pytest.mark.parametrize(
    ("build", "refusal"),
    [
        (lambda: f.contract(ServiceCode.ISP_PLATFORM), InvalidTransition),
        (lambda: router(LL, related_kind=CONN), RuleRefusal),
    ],
    ids=["other-service-refused", "not-live-refused"],
)
def test_equipment_change_refused(staff, build, refusal):
    contract = build()
    with pytest.raises(refusal):
        record_equipment_change(contract, on=D(2025, 2, 1), by=staff)
    assert not contract.changes.exists()


def test_legacy_contract_keeps_its_start_until_an_equipment_change(staff):
    contract = router(LL, related_kind=CONN, legacy_type=LegacyRouterType.SINGLE, min_period_start_on=D(2004, 4, 1))
    f.activate(contract, by=staff)
    assert contract.min_period_start_on == D(2004, 4, 1)  # 附則 2005-05-01 ¶6
    record_equipment_change(contract, on=D(2025, 8, 1), by=staff)
    assert contract.min_period_start_on == D(2025, 8, 1)


@pytest.mark.parametrize(
    ("legacy_type", "expected"),
    [
        (LegacyRouterType.STANDARD, (LL, [COLD_STANDBY])),
        (LegacyRouterType.SINGLE, (LL, [])),
        (LegacyRouterType.DC_STANDARD, (DC, [])),
        (LegacyRouterType.DC_SINGLE, (DC, [])),
    ],
    ids=["standard", "single", "dc-standard", "dc-single"],
)
def test_legacy_mapping(legacy_type, expected):
    assert legacy_mapping(legacy_type) == expected
    assert legacy_mapping(str(legacy_type.value)) == expected


def test_legacy_mapping_refuses_an_unknown_type():
    with pytest.raises(ValueError):
        legacy_mapping("router_gold")


def test_cancellation_takes_45_days(staff):
    contract = f.activate(router(LL, related_kind=CONN), by=staff)
    lifecycle.register_notice(contract, received_on=D(2025, 3, 1), by=staff)
    assert contract.effective_end_on == D(2025, 4, 15)

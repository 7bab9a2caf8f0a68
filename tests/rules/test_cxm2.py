"""CXM2 rules (SPEC §2): Standby and its Active partner, options, changes and consequences."""

from datetime import date as D

import pytest
from django.utils import translation

from contracts.choices import ApplicationType, Route, ServiceCode, Status, TerminationReason
from contracts.models import Contract, ContractChange, Item
from contracts.services import changes, lifecycle
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = pytest.mark.django_db

CXM2 = ServiceCode.CXM2
ART5 = "(CXM2 art. 5)"


def active(cust=None, **kw) -> Contract:
    return f.activate(f.contract(CXM2, cust, **kw))


def standby_of(partner: Contract, cust=None) -> Contract:
    return f.contract(CXM2, cust or partner.customer, application_type=ApplicationType.STANDBY, standby_of=partner)


def _live_active(cust):
    return active(cust)


def _applied_active(cust):
    return f.contract(CXM2, cust)


def _other_customers_active(cust):
    return active()


def _live_standby(cust):
    return f.activate(standby_of(active(cust)))


def _terminated_active(cust):
    c = active(cust)
    lifecycle.terminate(c, on=D(2025, 1, 20), reason=TerminationReason.GT_ART28_2)
    return c


@pytest.mark.parametrize(
    ("make_partner", "article"),
    [
        pytest.param(_live_active, None, id="live-active-of-same-customer"),
        pytest.param(lambda cust: None, ART5, id="no-partner"),
        pytest.param(_applied_active, ART5, id="partner-not-yet-accepted"),
        pytest.param(_other_customers_active, ART5, id="partner-of-another-customer"),
        pytest.param(_live_standby, ART5, id="partner-is-a-standby"),
        pytest.param(_terminated_active, ART5, id="partner-terminated"),
    ],
)
def test_standby_needs_a_live_active_partner_of_the_same_customer(make_partner, article):
    cust = f.customer()
    standby = f.contract(CXM2, cust, application_type=ApplicationType.STANDBY, standby_of=make_partner(cust))
    with f.refused(article):
        lifecycle.accept(standby, on=D(2025, 1, 10))
    assert standby.status == (Status.APPLIED if article else Status.ACCEPTED)


def test_an_active_contract_names_no_partner_full_clean():
    partner = active()
    c = Contract(
        customer=partner.customer,
        service_id=CXM2,
        item=Item.objects.get(pk="cxm2.100m"),
        application_type=ApplicationType.ACTIVE,
        route=Route.MICROSOFT,
        region=partner.region,
        standby_of=partner,
        applied_on=D(2025, 1, 6),
    )
    with f.refused(ART5):
        c.full_clean()
    c.standby_of = None
    c.full_clean()


@pytest.mark.parametrize(
    ("fields", "article"),
    [
        pytest.param({"item": "cxm2.1g"}, None, id="item"),
        pytest.param({"route": Route.OFFICE365}, None, id="route"),
        pytest.param({"application_type": ApplicationType.STANDBY, "standby_of": "other"}, None, id="to-standby"),
        pytest.param({"application_type": ApplicationType.STANDBY}, ART5, id="to-standby-without-partner"),
    ],
)
def test_item_application_type_and_route_may_change_with_a_fee(fields, article):
    c = active()
    other = active(c.customer)
    fields = {k: other if v == "other" else v for k, v in fields.items()}
    if "item" in fields:
        fields["item"] = Item.objects.get(pk=fields["item"])
    with f.refused(article):
        records = changes.accept_change(c, on=D(2025, 2, 1), **fields)
        assert records and sum(r.fee for r in records) == c.item.change_fee  # one fee per change (annex 2 §3)
    if article:
        assert not ContractChange.objects.filter(contract=c).exists()


def test_standby_changed_to_active_drops_its_partner_in_one_change():
    partner = active()
    standby = f.activate(standby_of(partner))
    records = changes.accept_change(standby, on=D(2025, 2, 1), application_type=ApplicationType.ACTIVE)
    assert [r.kind for r in records] == ["application_type"]
    assert (standby.application_type, standby.standby_of) == (ApplicationType.ACTIVE, None)


def test_an_active_backed_by_a_live_standby_cannot_become_standby():
    partner = active()
    f.activate(standby_of(partner))
    with f.refused("(CXM2 art. 5, art. 6)"):
        changes.accept_change(
            partner, on=D(2025, 2, 1), application_type=ApplicationType.STANDBY, standby_of=active(partner.customer)
        )


@pytest.mark.parametrize(
    ("ended", "standby_status"),
    [
        pytest.param("active", Status.TERMINATED, id="ending-active-ends-its-standby"),
        pytest.param("standby", Status.TERMINATED, id="ending-standby-leaves-active"),
    ],
)
def test_a_standby_never_outlives_its_active(ended, standby_status, staff):
    partner = active()
    standby = f.activate(standby_of(partner))
    target = partner if ended == "active" else standby
    lifecycle.register_notice(target, received_on=D(2025, 3, 1))
    with translation.override("en"):
        lifecycle.terminate(target, on=D(2025, 3, 31), by=staff)
    partner.refresh_from_db()
    standby.refresh_from_db()
    assert standby.status == standby_status
    if ended == "active":
        assert standby.termination_reason == TerminationReason.CASCADE
        assert standby.history.first().history_change_reason == f"Ended with {partner.number}"
    else:
        assert partner.status == Status.ACTIVE


@pytest.mark.parametrize(
    ("firewall", "article"),
    [
        pytest.param({}, None, id="m-cxe-firewall"),
        pytest.param({"firewall_item": "m/cxe"}, None, id="item-case-insensitive"),
        pytest.param({"firewall_item": "Type S"}, "(CXM2 art. 7 ¶3)", id="other-firewall-item"),
        pytest.param({"ended_on": D(2025, 1, 5)}, "(CXM2 art. 7 ¶3)", id="firewall-ended-before"),
        pytest.param({"started_on": D(2025, 2, 1)}, "(CXM2 art. 7 ¶3)", id="firewall-formed-later"),
        pytest.param(None, "(CXM2 art. 7 ¶3)", id="no-firewall"),
    ],
)
def test_firewall_integration_needs_a_managed_firewall_m_cxe(firewall, article):
    c = active()
    if firewall is not None:
        f.related(c.customer, RelatedKind.MANAGED_FIREWALL, **firewall)
    option = f.option(c, "cxm2.firewall")
    with f.refused(article):
        lifecycle.accept(option, on=D(2025, 1, 10))


def _firewall(c, accept=True):
    f.related(c.customer, RelatedKind.MANAGED_FIREWALL)
    fw = f.option(c, "cxm2.firewall")
    return f.activate(fw) if accept else fw


@pytest.mark.parametrize(
    ("setup", "article"),
    [
        pytest.param(lambda c: _firewall(c), None, id="live-firewall-on-same-contract"),
        pytest.param(lambda c: _firewall(c, accept=False), "(CXM2 art. 7 ¶4)", id="firewall-only-applied"),
        pytest.param(lambda c: _firewall(active(c.customer)), "(CXM2 art. 7 ¶4)", id="firewall-on-other-contract"),
        pytest.param(lambda c: None, "(CXM2 art. 7 ¶4)", id="no-firewall"),
    ],
)
def test_static_nat_needs_firewall_integration_on_the_same_contract(setup, article):
    c = active()
    setup(c)
    nat = f.option(c, "cxm2.static_nat")
    with f.refused(article):
        lifecycle.accept(nat, on=D(2025, 1, 10))


def _stop_by_notice(option):
    lifecycle.register_notice(option, received_on=D(2025, 3, 1))


def _stop_at_once(option):
    lifecycle.terminate(option, on=D(2025, 3, 1), reason=TerminationReason.GT_ART28_2)


@pytest.mark.parametrize(
    ("nat_state", "stop", "article"),
    [
        pytest.param("active", _stop_by_notice, "(CXM2 art. 7 ¶4)", id="notice-while-static-nat-continues"),
        pytest.param("active", _stop_at_once, "(CXM2 art. 7 ¶4)", id="end-while-static-nat-continues"),
        pytest.param("cancelling", _stop_by_notice, None, id="notice-with-static-nat-ending-same-day"),
        pytest.param("terminated", _stop_at_once, None, id="static-nat-already-ended"),
        pytest.param(None, _stop_by_notice, None, id="no-static-nat"),
    ],
)
def test_firewall_integration_cannot_stop_under_a_static_nat(nat_state, stop, article):
    c = active()
    fw = _firewall(c)
    if nat_state:
        nat = f.activate(f.option(c, "cxm2.static_nat"))
        if nat_state in ("cancelling", "terminated"):
            lifecycle.register_notice(nat, received_on=D(2025, 3, 1))
        if nat_state == "terminated":
            lifecycle.terminate(nat, on=nat.effective_end_on)
    with f.refused(article):
        stop(fw)


def test_firewall_and_static_nat_cancelled_together_both_close():
    c = active()
    fw = _firewall(c)
    nat = f.activate(f.option(c, "cxm2.static_nat"))
    lifecycle.register_notice(nat, received_on=D(2025, 3, 1))
    lifecycle.register_notice(fw, received_on=D(2025, 3, 1))
    assert lifecycle.close_due(today=D(2025, 4, 1)) == (2, [])
    fw.refresh_from_db()
    nat.refresh_from_db()
    assert fw.status == nat.status == Status.TERMINATED

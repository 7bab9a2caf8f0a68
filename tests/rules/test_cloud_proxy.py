"""Cloud Proxy rules (SPEC §3): parent and children, the bypass prerequisite, options, item changes."""

from datetime import date as D

import pytest
from django.core.exceptions import ValidationError

from contracts.choices import Region, ServiceCode, Status, TerminationReason
from contracts.models import Abolition, Contract, ContractChange, Item
from contracts.services import changes, lifecycle
from contracts.services.abolition import abolish
from customers.choices import RelatedKind
from tests import factories as f

pytestmark = pytest.mark.django_db

CP = ServiceCode.CLOUD_PROXY
TEMPLATE = "cloud_proxy.template.m365"
BYPASS = "cloud_proxy.bypass.p1.20k"
EXTERNAL = "cloud_proxy.external"
ART6_1 = "(Cloud Proxy art. 6 ¶1)"


def child(parent: Contract, item: str, *, live=True, **kw) -> Contract:
    c = f.contract(CP, parent.customer, item=item, parent=parent, **kw)
    return f.activate(c) if live else c


def customer_with_pbb():
    cust = f.customer()
    f.related(cust, RelatedKind.PBB)
    return cust


def live_set():
    """A live parent with one live template child and one live bypass child."""
    parent = f.contract(CP, customer_with_pbb())
    template, bypass = child(parent, TEMPLATE), child(parent, BYPASS)
    f.activate(parent)
    return parent, template, bypass


@pytest.mark.parametrize(
    ("children", "article"),
    [
        pytest.param([(TEMPLATE, True), (BYPASS, True)], None, id="template-and-bypass"),
        pytest.param([(TEMPLATE, True), (EXTERNAL, True)], None, id="template-and-external"),
        pytest.param([(TEMPLATE, True)], ART6_1, id="template-only"),
        pytest.param([(BYPASS, True), (EXTERNAL, True)], ART6_1, id="no-template"),
        pytest.param([(TEMPLATE, False), (BYPASS, True)], ART6_1, id="template-not-yet-accepted"),
        pytest.param([], ART6_1, id="no-children"),
    ],
)
def test_parent_is_accepted_only_with_its_required_children(children, article):
    parent = f.contract(CP, customer_with_pbb())
    for item, live in children:
        child(parent, item, live=live)
    with f.refused(article):
        lifecycle.accept(parent, on=D(2025, 1, 10))


def test_abolished_template_ends_and_the_parent_can_still_be_cancelled():
    """Art. 11: an abolished template ends even when it is the last; art. 6 ¶1 is not checked again later."""
    parent, template, _ = live_set()
    abolish(Abolition.objects.create(service_id=CP, item_id=TEMPLATE, effective_on=D(2025, 2, 1), reason="M365 ended"))
    template.refresh_from_db()
    assert (template.status, template.termination_reason) == (Status.TERMINATED, TerminationReason.ABOLITION)
    lifecycle.register_notice(parent, received_on=D(2025, 3, 1))
    assert parent.status == Status.CANCELLING


def test_child_belongs_to_a_parent_of_the_same_customer_full_clean():
    parent = f.contract(CP)
    orphan = Contract(
        customer=f.customer(),
        service_id=CP,
        item=Item.objects.get(pk=TEMPLATE),
        parent=parent,
        applied_on=D(2025, 1, 6),
    )
    with f.refused("(Cloud Proxy art. 1)"):
        orphan.full_clean()
    orphan.customer = parent.customer
    orphan.full_clean()


@pytest.mark.parametrize(
    ("pbb", "article"),
    [
        pytest.param({}, None, id="live-pbb"),
        pytest.param({"ended_on": D(2025, 1, 9)}, "(Cloud Proxy art. 6 ¶2)", id="pbb-ended-before-acceptance"),
        pytest.param({"other_customer": True}, "(Cloud Proxy art. 6 ¶2)", id="pbb-of-another-customer"),
        pytest.param(None, "(Cloud Proxy art. 6 ¶2)", id="no-pbb"),
    ],
)
def test_bypass_child_needs_a_private_backbone(pbb, article):
    cust = f.customer()
    if pbb is not None:
        owner = f.customer() if pbb.pop("other_customer", False) else cust
        f.related(owner, RelatedKind.PBB, **pbb)
    parent = f.contract(CP, cust)
    bypass = f.contract(CP, cust, item=BYPASS, parent=parent)
    with f.refused(article):
        lifecycle.accept(bypass, on=D(2025, 1, 10))


@pytest.mark.parametrize(
    ("region", "article"),
    [
        pytest.param(Region.OSAKA, None, id="region-chosen"),
        pytest.param(None, "(Cloud Proxy art. 5 ¶1)", id="no-region"),
    ],
)
def test_bypass_child_names_its_region_when_contracted(region, article):
    """Regression: a bypass child without a region was accepted."""
    parent = f.contract(CP, customer_with_pbb())
    bypass = Contract(
        customer=parent.customer,
        service_id=CP,
        item=Item.objects.get(pk=BYPASS),
        parent=parent,
        region=region,
        applied_on=D(2025, 1, 6),
    )
    with f.refused(article):
        bypass.full_clean()
    if article:
        with pytest.raises(ValidationError) as refusal:
            bypass.full_clean()
        assert list(refusal.value.error_dict) == ["region"]


@pytest.mark.parametrize(
    ("extra", "ended", "article"),
    [
        pytest.param(None, "template", ART6_1, id="last-template"),
        pytest.param(None, "bypass", ART6_1, id="last-bypass"),
        pytest.param(TEMPLATE, "template", None, id="template-with-another-template"),
        pytest.param(EXTERNAL, "bypass", None, id="bypass-with-an-external"),
        pytest.param(BYPASS, "template", ART6_1, id="template-with-another-bypass"),
    ],
)
def test_parent_keeps_a_child_of_each_required_kind_while_it_continues(extra, ended, article):
    parent, template, bypass = live_set()
    if extra:
        child(parent, extra)
    target = template if ended == "template" else bypass
    with f.refused(article):
        lifecycle.terminate(target, on=D(2025, 2, 1), reason=TerminationReason.GT_ART28_2)
    target.refresh_from_db()
    assert target.status == (Status.ACTIVE if article else Status.TERMINATED)


def test_last_children_end_with_a_parent_ending_the_same_day():
    parent, template, bypass = live_set()
    lifecycle.register_notice(parent, received_on=D(2025, 3, 1))
    lifecycle.register_notice(template, received_on=D(2025, 3, 1))
    lifecycle.terminate(template, on=D(2025, 3, 31))
    lifecycle.terminate(parent, on=D(2025, 3, 31))
    bypass.refresh_from_db()
    assert bypass.status == Status.TERMINATED


def _internet_access(cust, started_on):
    f.related(cust, RelatedKind.INTERNET_ACCESS, started_on=started_on)


@pytest.mark.parametrize(
    ("kind", "on_child", "setup", "article"),
    [
        pytest.param("cloud_proxy.access_control", "bypass", None, None, id="access-control-on-bypass"),
        pytest.param("cloud_proxy.pac", "bypass", None, None, id="pac-on-bypass"),
        pytest.param("cloud_proxy.list_update_api", "bypass", None, None, id="list-update-api-on-bypass"),
        pytest.param("cloud_proxy.pac", "template", None, "(Cloud Proxy art. 6, art. 10)", id="pac-on-template"),
        pytest.param(
            "cloud_proxy.access_control", "parent", None, "(Cloud Proxy art. 6, art. 10)", id="option-on-parent"
        ),
        pytest.param(
            "cloud_proxy.internet_access",
            "bypass",
            D(2020, 5, 1),
            None,
            id="internet-access-formed-2020-05-01",
        ),
        pytest.param(
            "cloud_proxy.internet_access",
            "bypass",
            D(2020, 4, 30),
            "(Cloud Proxy art. 6 ¶3)",
            id="internet-access-formed-before-2020-05-01",
        ),
        pytest.param("cloud_proxy.internet_access", "bypass", None, "(Cloud Proxy art. 6 ¶3)", id="no-internet-access"),
        pytest.param(
            "cloud_proxy.internet_access",
            "external",
            D(2021, 1, 1),
            "(Cloud Proxy art. 6, art. 10)",
            id="internet-access-on-external",
        ),
    ],
)
def test_options_are_for_a_bypass_child(kind, on_child, setup, article):
    parent, template, bypass = live_set()
    target = {"parent": parent, "template": template, "bypass": bypass}.get(on_child) or child(parent, EXTERNAL)
    if setup:
        _internet_access(parent.customer, setup)
    option = f.option(target, kind)
    with f.refused(article):
        lifecycle.accept(option, on=D(2025, 1, 10))


@pytest.mark.parametrize(
    ("with_parent", "applied_on", "article"),
    [
        pytest.param(True, D(2025, 1, 6), None, id="same-application"),
        pytest.param(False, D(2025, 1, 6), "(Cloud Proxy art. 10 ¶3)", id="not-flagged-with-parent"),
        pytest.param(True, D(2025, 1, 8), "(Cloud Proxy art. 10 ¶3)", id="applied-later"),
    ],
)
def test_initial_setup_is_applied_together_with_its_bypass_child(with_parent, applied_on, article):
    parent = f.contract(CP, customer_with_pbb())
    bypass = f.contract(CP, parent.customer, item=BYPASS, parent=parent)
    setup = f.option(bypass, "cloud_proxy.initial_setup", applied_with_parent=with_parent, applied_on=applied_on)
    with f.refused(article):
        setup.full_clean()


@pytest.mark.parametrize(
    ("on_child", "new_item", "article"),
    [
        pytest.param("bypass", "cloud_proxy.bypass.p1.40k", None, id="bypass-within-plan-1"),
        pytest.param("bypass", "cloud_proxy.bypass.p2.400k", "(Cloud Proxy art. 9)", id="bypass-to-plan-2"),
        pytest.param("bypass", EXTERNAL, "(Cloud Proxy art. 9)", id="bypass-to-external"),
        pytest.param("template", "cloud_proxy.template.google_workspace", "(Cloud Proxy art. 9)", id="template-item"),
        pytest.param("template", BYPASS, "(Cloud Proxy art. 9)", id="template-to-bypass"),
    ],
)
def test_only_the_bypass_item_changes_within_its_plan(on_child, new_item, article):
    parent, template, bypass = live_set()
    target = bypass if on_child == "bypass" else template
    with f.refused(article):
        records = changes.accept_change(target, on=D(2025, 2, 1), item=Item.objects.get(pk=new_item))
        assert [(r.kind, r.fee) for r in records] == [("item", 10_000)]
    if article:
        assert not ContractChange.objects.filter(contract=target).exists()


def test_notice_for_the_last_template_is_refused_when_registered_not_when_due():
    parent, template, _ = live_set()
    with f.refused(ART6_1):
        lifecycle.register_notice(template, received_on=D(2025, 3, 1))
    template.refresh_from_db()
    assert (template.status, template.notice_received_on) == (Status.ACTIVE, None)


@pytest.mark.parametrize(
    ("unit", "other_unit", "article"),
    [
        pytest.param("本社", "大阪支店", None, id="another-unit"),
        pytest.param("本社", "本社", "(Cloud Proxy art. 1)", id="same-unit"),
        pytest.param("HQ", "hq", "(Cloud Proxy art. 1)", id="same-unit-other-case"),
        pytest.param("", None, "(Cloud Proxy art. 1)", id="no-unit"),
    ],
)
def test_one_parent_per_management_unit_which_it_names(unit, other_unit, article):
    cust = customer_with_pbb()
    if other_unit is not None:
        f.contract(CP, cust, management_unit=other_unit)
    parent = f.contract(CP, cust, management_unit=unit)
    with f.refused(article):
        parent.full_clean()


def test_a_parent_under_cancellation_leaves_its_unit_to_its_successor():
    parent, *_ = live_set()
    lifecycle.register_notice(parent, received_on=D(2025, 3, 1))
    successor = f.contract(CP, parent.customer, management_unit=parent.management_unit)
    with f.refused(None):
        successor.full_clean()

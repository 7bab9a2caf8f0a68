"""Roles: each role does its own work through the admin and is refused the others'.

``ROWS`` is the role matrix: an attempt made through real admin requests and the roles allowed to
make it; every other role must be refused. An app that grants permissions adds its rows here.
Writes are posted with the data of the form a superuser sees, so a refused role is tried with a
crafted POST, not just with a hidden button.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from backoffice import roles
from backoffice.actions import run
from backoffice.registry import registry
from backoffice.roles import APPROVER, AUDITOR, BILLING, LOGISTICS, ROLE_NAMES, SALES
from billing.models import BillingMonth, Invoice, InvoiceLine
from billing.run import billing_month, run_month
from contracts.choices import Route, ServiceCode, Status
from contracts.models import Abolition, BandwidthArea, Contract, ContractChange, ContractOption, Item
from contracts.services import changes, lifecycle
from customers.models import Customer, RelatedContract
from equipment.choices import ChargeState, UnitState
from equipment.models import Charge, Incident, PriceListEntry, Unit
from equipment.services import units as unit_moves
from jobs.models import Job
from receivables.models import Payment, Receivable
from sla.models import Claim, ClaimStatus, Credit, FailureNotification, Outage
from tests import factories as f
from tests.admin.conftest import as_post as as_post
from tests.admin.conftest import change_form_data, change_url, changelist_url
from tests.billing.helpers import close_and_render
from tests.equipment import factories as ef
from tests.receivables import makers as receivables_makers
from tests.sla import builders as sla

pytestmark = pytest.mark.django_db

D = date
EVERYONE = frozenset(ROLE_NAMES)
READERS_OF_THE_CATALOG = frozenset({SALES, BILLING, APPROVER, AUDITOR})
READERS_OF_INVOICES = frozenset({SALES, BILLING, APPROVER, AUDITOR})


@dataclass(frozen=True)
class Row:
    """``attempt(client, superuser_client) -> bool``: whether the admin did it for ``client``."""

    name: str
    attempt: Callable
    allowed: frozenset


# Data in the state each attempt starts from (set up directly, not through the admin).


def applied():
    return f.contract(ServiceCode.CXM2)


def accepted():
    c = applied()
    lifecycle.accept(c, on=D(2025, 1, 10), by=None)
    return c


def active():
    return f.activate(applied())


def cancelling():
    c = active()
    lifecycle.register_notice(c, received_on=D(2025, 3, 1), requested_on=D(2025, 7, 31), by=None)
    return c


def applied_option():
    return f.option(active(), "cxm2.napt", applied_on=D(2025, 2, 1))


def pbb():
    return f.related(f.customer(), "pbb")


def draft_abolition():
    return Abolition.objects.create(service_id=ServiceCode.ISP_PLATFORM, effective_on=D(2025, 6, 30), reason="end")


def billed_month():
    """May 2025 with one contract in service, not yet run."""
    active()
    return billing_month(2025, 5)


def run_month_to_close():
    """May 2025 run, ready to close."""
    month = billed_month()
    run_month(month)
    return month


def issued_line():
    month = run_month_to_close()
    close_and_render(month, issued_on=D(2025, 6, 1))
    return InvoiceLine.objects.filter(month=month).first()


def issued_invoice():
    return issued_line().invoice


# Attempts.


def match_by_hand(client, superuser):
    invoice, payment = receivables_makers.receivable(), receivables_makers.payment()
    response = client.post(reverse("admin:receivables_payment_match", args=[payment.pk]), {"invoices": [invoice.pk]})
    assert response.status_code in (302, 403)
    payment.refresh_from_db()
    return payment.allocated > 0


def undo_a_match(client, superuser):
    allocation = receivables_makers.allocation()
    data = {"action": "undo", "_selected_action": [allocation.payment_id], "_step": "confirm", "reason": "wrong"}
    assert client.post(changelist_url(Payment), data).status_code in (200, 302, 403)
    allocation.refresh_from_db()
    return not allocation.live


def read(url_of: Callable[[], str]):
    def attempt(client, superuser):
        response = client.get(url_of())
        assert response.status_code in (200, 403)
        return response.status_code == 200

    return attempt


def action(model, name: str, make, done: Callable, **fields):
    """Post the confirmed action ``name`` on a row from ``make()``; ``done(row)`` tells whether it happened."""

    def attempt(client, superuser):
        row = make()
        data = {"action": name, "_selected_action": [row.pk], "_step": "confirm", **as_post(fields)}
        response = client.post(changelist_url(model), data)
        assert response.status_code in (200, 302, 403)
        row.refresh_from_db()
        return done(row)

    return attempt


def post_form(url_of: Callable[[], str], changes: dict, done: Callable[[], bool]):
    """Post the form a superuser sees at ``url_of()``, with ``changes``; ``done()`` tells whether it was saved."""

    def attempt(client, superuser):
        url = url_of()
        data = {**change_form_data(superuser.get(url)), **changes}
        response = client.post(url, data)
        assert response.status_code in (302, 403), response.content.decode()[:2000]
        return done()

    return attempt


def in_status(status):
    return lambda row: row.status == status


def add_contract(client, superuser):
    data = {
        "customer": f.customer().pk,
        "item": "cxm2.100m",
        "applied_on": "2025-01-06",
        "application_type": "active",
        "route": Route.MICROSOFT,
        "region": "tokyo",
        "bandwidth_areas-TOTAL_FORMS": "0",
        "bandwidth_areas-INITIAL_FORMS": "0",
    }
    response = client.post(changelist_url(Contract) + "add/", data)
    assert response.status_code in (302, 403)
    return Contract.objects.exists()


def accept_change(client, superuser):
    contract = active()
    edit = post_form(
        lambda: change_url(contract),
        {"route": Route.OFFICE365, "change_accepted_on": "2025-04-01"},
        lambda: ContractChange.objects.filter(contract=contract).exists(),
    )
    return edit(client, superuser)


def edit_price(client, superuser):
    item = Item.objects.get(code="cxm2.100m")
    edit = post_form(lambda: change_url(item), {"monthly_fee": "12345"}, lambda: None)
    edit(client, superuser)
    item.refresh_from_db()
    return item.monthly_fee == 12345


def draft_an_abolition(client, superuser):
    data = {"service": ServiceCode.ISP_PLATFORM, "effective_on": "2025-06-30", "reason": "end of sale"}
    response = client.post(reverse("admin:contracts_abolition_add"), data)
    assert response.status_code in (302, 403)
    return Abolition.objects.exists()


def execute_abolition(client, superuser):
    abolition = draft_abolition()
    response = client.post(reverse("admin:contracts_abolition_execute", args=[abolition.pk]), {"confirm": "yes"})
    assert response.status_code in (302, 403)
    abolition.refresh_from_db()
    return abolition.executed_at is not None


def edit_customer(client, superuser):
    customer = f.customer()
    edit = post_form(lambda: change_url(customer), {"name": "Renamed KK"}, lambda: None)
    edit(client, superuser)
    customer.refresh_from_db()
    return customer.name == "Renamed KK"


def assigned_unit():
    unit = ef.unit()
    unit_moves.assign(unit, on=D(2025, 2, 1), contract=ef.router_contract())
    return unit


def installed_unit():
    return ef.installed(ef.unit(), contract=ef.router_contract())


def add_unit(client, superuser):
    model = ef.unit_model()
    data = {"serial": "R-1", "unit_model": model.pk, "acquired_on": "2025-04-01", "acquisition_cost": "1000"}
    response = client.post(reverse("admin:equipment_unit_add"), data)
    assert response.status_code in (302, 403)
    return Unit.objects.filter(serial="R-1").exists()


def edit_price_list(client, superuser):
    entry = PriceListEntry.objects.get(unit_model=ef.unit_model(), kind="loss")
    post_form(lambda: change_url(entry), {"amount": "99000"}, lambda: None)(client, superuser)
    entry.refresh_from_db()
    return entry.amount == 99_000


EQUIPMENT_READERS = frozenset({LOGISTICS, BILLING, APPROVER, AUDITOR})


def record_outage(client, superuser):
    data = {
        "started_at_0": "2025-03-03",
        "started_at_1": "10:00:00",
        "ended_at_0": "2025-03-03",
        "ended_at_1": "12:00:00",
        "cause": "router failure",
        "affected-TOTAL_FORMS": "0",
        "affected-INITIAL_FORMS": "0",
        "notifications-TOTAL_FORMS": "0",
        "notifications-INITIAL_FORMS": "0",
        "alerts-TOTAL_FORMS": "0",
        "alerts-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:sla_outage_add"), data)
    assert response.status_code in (302, 403)
    return Outage.objects.exists()


def record_notification(client, superuser):
    outage, customer = sla.an_outage(), f.customer()
    data = {
        "outage": outage.pk,
        "customer": customer.pk,
        "detected_at_0": "2025-03-03",
        "detected_at_1": "10:05:00",
        "notified_at_0": "2025-03-03",
        "notified_at_1": "10:50:00",
    }
    response = client.post(reverse("admin:sla_failurenotification_add"), data)
    assert response.status_code in (302, 403)
    return FailureNotification.objects.exists()


def add_affected_contracts(client, superuser):
    outage, contract = sla.an_outage(), sla.live()
    data = {"customer": contract.customer.code, "contract": [contract.pk], "_confirm": "yes"}
    response = client.post(reverse("admin:sla_outage_affect", args=[outage.pk]), data)
    assert response.status_code in (302, 403)
    return outage.affected.exists()


def record_claim(client, superuser):
    affected = sla.an_affected_contract()
    data = {"affected": affected.pk, "claimed_on": "2025-03-10"}
    response = client.post(reverse("admin:sla_claim_add"), data)
    assert response.status_code in (302, 403)
    return Claim.objects.exists()


ROWS = [
    # Reading
    Row("read the customer list", read(lambda: changelist_url(Customer)), EVERYONE),
    Row("read the contract list", read(lambda: changelist_url(Contract)), EVERYONE),
    Row("read a contract", read(lambda: change_url(active())), EVERYONE),
    Row(
        "read a contract's history",
        read(lambda: reverse("admin:contracts_contract_history", args=[active().pk])),
        EVERYONE,
    ),
    Row(
        "read a customer's timeline",
        read(lambda: reverse("admin:customers_customer_timeline", args=[active().customer_id])),
        EVERYONE,
    ),
    Row("read the catalog", read(lambda: changelist_url(Item)), READERS_OF_THE_CATALOG),
    Row("read the abolitions", read(lambda: changelist_url(Abolition)), READERS_OF_THE_CATALOG),
    Row("read the contract changes", read(lambda: changelist_url(ContractChange)), READERS_OF_THE_CATALOG),
    Row("read the staff users", read(lambda: reverse("admin:auth_user_changelist")), frozenset({AUDITOR})),
    # Reports and list exports
    Row("export the contract list", read(lambda: reverse("admin:contracts_contract_export", args=["csv"])), EVERYONE),
    Row(
        "export the catalog",
        read(lambda: reverse("admin:contracts_item_export", args=["xlsx"])),
        READERS_OF_THE_CATALOG,
    ),
    Row("read the month's dashboard", read(lambda: reverse("reports:dashboard")), frozenset({BILLING, AUDITOR})),
    Row(
        "prepare the monthly report",
        read(lambda: reverse("reports:prepare") + "?month=2025-01&format=csv"),
        frozenset({BILLING, AUDITOR}),
    ),
    # Sales: customers, related contracts, contracts, options, changes
    Row(
        "add a customer",
        post_form(
            lambda: reverse("admin:customers_customer_add"),
            {"code": "N00001", "name": "New KK", "kind": "corporate"},
            lambda: Customer.objects.filter(code="N00001").exists(),
        ),
        frozenset({SALES}),
    ),
    Row("edit a customer", edit_customer, frozenset({SALES})),
    Row("add a contract", add_contract, frozenset({SALES})),
    Row(
        "accept a contract",
        action(Contract, "accept", applied, in_status(Status.ACCEPTED), on=D(2025, 1, 10)),
        frozenset({SALES}),
    ),
    Row(
        "accept an option",
        action(ContractOption, "accept", applied_option, in_status(Status.ACCEPTED), on=D(2025, 2, 3)),
        frozenset({SALES}),
    ),
    Row(
        "withdraw an application",
        action(Contract, "withdraw", applied, in_status(Status.WITHDRAWN)),
        frozenset({SALES}),
    ),
    Row(
        "start billing",
        action(Contract, "start_billing", accepted, in_status(Status.ACTIVE), on=D(2025, 1, 15)),
        frozenset({SALES}),
    ),
    Row(
        "register a cancellation notice",
        action(Contract, "register_notice", active, in_status(Status.CANCELLING), received_on=D(2025, 3, 1)),
        frozenset({SALES}),
    ),
    Row(
        "withdraw a cancellation notice",
        action(Contract, "withdraw_notice", cancelling, in_status(Status.ACTIVE)),
        frozenset({SALES}),
    ),
    Row(
        "terminate a contract",
        action(Contract, "terminate", active, in_status(Status.TERMINATED), on=D(2025, 4, 1), reason="gt_art28_2"),
        frozenset({SALES}),
    ),
    Row("accept a change of a live contract", accept_change, frozenset({SALES})),
    Row(
        "end a related contract",
        action(RelatedContract, "end_related_contract", pbb, lambda r: r.ended_on is not None, on=D(2025, 5, 31)),
        frozenset({SALES}),
    ),
    # Billing: the catalog's prices, the frozen terms, abolition drafts
    Row(
        "override frozen terms",
        action(
            Contract, "override_terms", active, lambda c: c.initial_fee == 40_000, initial_fee=40_000, reason="deal"
        ),
        frozenset({BILLING}),
    ),
    Row(
        "agree a price from a day",
        action(
            Contract,
            "agree_price",
            active,
            lambda c: c.dated_prices.filter(monthly_fee=40_000).exists(),
            valid_from=date.today(),
            monthly_fee=40_000,
            reason="deal",
        ),
        frozenset({BILLING}),
    ),
    Row("edit a list price", edit_price, frozenset({BILLING})),
    Row("draft an abolition", draft_an_abolition, frozenset({BILLING})),
    # Quality guarantee: sales records outages and notifications, billing decides claims
    Row("read the outages", read(lambda: changelist_url(Outage)), frozenset({SALES, BILLING, AUDITOR})),
    Row("read the credits", read(lambda: changelist_url(Credit)), frozenset({SALES, BILLING, AUDITOR})),
    Row("record an outage", record_outage, frozenset({SALES})),
    Row("record a failure notification", record_notification, frozenset({SALES})),
    Row("add affected contracts to an outage", add_affected_contracts, frozenset({SALES})),
    Row("record a claim", record_claim, frozenset({BILLING})),
    Row(
        "decide a claim",
        action(Claim, "decide", sla.a_claim, in_status(ClaimStatus.GRANTED), on=D(2025, 3, 10)),
        frozenset({BILLING}),
    ),
    # Approver
    Row("execute an abolition", execute_abolition, frozenset({APPROVER})),
    # Billing: billing runs months and corrects lines, the approver closes, sales and the auditor read
    Row("read the invoices", read(lambda: changelist_url(Invoice)), READERS_OF_INVOICES),
    Row("read an invoice", read(lambda: change_url(issued_invoice())), READERS_OF_INVOICES),
    Row(
        "download an invoice's PDF",
        read(lambda: reverse("admin:billing_invoice_document", args=[issued_invoice().pk, "pdf"])),
        READERS_OF_INVOICES,
    ),
    Row(
        "open a billing month",
        post_form(
            lambda: reverse("admin:billing_billingmonth_add"),
            {"month": "2025-06-01"},
            lambda: BillingMonth.objects.filter(month=D(2025, 6, 1)).exists(),
        ),
        frozenset({BILLING}),
    ),
    Row(
        "run a billing month",
        action(BillingMonth, "run", billed_month, lambda m: Job.objects.filter(arguments__month=m.pk).exists()),
        frozenset({BILLING}),
    ),
    Row(
        "close a billing month",
        action(BillingMonth, "close", run_month_to_close, lambda m: m.is_closed, issued_on=D(2025, 6, 1)),
        frozenset({APPROVER}),
    ),
    Row(
        "correct an invoice line",
        action(InvoiceLine, "correct", issued_line, lambda line: line.adjustments.exists(), new_amount=1, reason="x"),
        frozenset({BILLING}),
    ),
    # Equipment: logistics moves units, reports incidents and assesses; the approver approves; billing prices
    Row("read the units", read(lambda: changelist_url(Unit)), EVERYONE),
    Row("read a unit's story", read(lambda: change_url(installed_unit())), EVERYONE),
    Row("read the incidents", read(lambda: changelist_url(Incident)), EQUIPMENT_READERS),
    Row("read the charges", read(lambda: changelist_url(Charge)), EQUIPMENT_READERS),
    Row("open the stock import", read(lambda: reverse("admin:equipment_unit_import")), frozenset({LOGISTICS})),
    Row("open the contract import", read(lambda: reverse("admin:contracts_contract_import")), frozenset({SALES})),
    Row("add a unit", add_unit, frozenset({LOGISTICS})),
    Row(
        "ship a unit",
        action(Unit, "ship", assigned_unit, in_status(UnitState.SHIPPED), on=D(2025, 2, 2), carrier="Yamato"),
        frozenset({LOGISTICS}),
    ),
    Row(
        "report a loss",
        action(Unit, "report_loss", installed_unit, in_status(UnitState.LOST), kind="loss", on=D(2025, 3, 1)),
        frozenset({LOGISTICS}),
    ),
    Row(
        "assess a charge",
        action(Incident, "assess", ef.loss, lambda i: Charge.objects.filter(incident=i).exists(), on=D(2025, 3, 2)),
        frozenset({LOGISTICS}),
    ),
    Row(
        "record an overdue rented router lost",
        action(Incident, "record_lost", ef.overdue_rental, lambda i: i.recorded_lost_on is not None, on=D(2025, 4, 30)),
        frozenset({LOGISTICS}),
    ),
    Row(
        "approve a charge",
        action(Charge, "approve", ef.assessed_charge, in_status(ChargeState.APPROVED), on=D(2025, 3, 5)),
        frozenset({APPROVER}),
    ),
    Row("edit the equipment price list", edit_price_list, frozenset({BILLING})),
    # Receivables: billing does it all, the auditor reads it
    Row("read the payments", read(lambda: changelist_url(Payment)), frozenset({BILLING, AUDITOR})),
    Row("read the receivables", read(lambda: changelist_url(Receivable)), frozenset({BILLING, AUDITOR})),
    Row("open the bank file import", read(lambda: reverse("admin:receivables_bankfile_import")), frozenset({BILLING})),
    Row("match a payment by hand", match_by_hand, frozenset({BILLING})),
    Row("undo a match", undo_a_match, frozenset({BILLING})),
]


@pytest.fixture
def superuser_client(staff):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name.replace(" ", "-"))
def test_role_matrix(row, role, login_as_role, superuser_client, today):
    today(D(2025, 7, 1))  # after every date of the rows, before the pending cancellation takes effect
    client = login_as_role(role)
    assert row.attempt(client, superuser_client) is (role in row.allowed)


def test_the_auditor_reads_every_admin_page_and_saves_nothing(login_as_role, staff):
    world = [
        f.related(f.customer(), "pbb"),
        f.option(active(), "cxm2.napt"),
        draft_abolition(),
        BandwidthArea.objects.create(contract=f.contract(ServiceCode.ISP_PLATFORM), area="east", mbps=100),
        Group.objects.get(name=SALES),
    ]
    live = active()
    world += [live, *changes.accept_change(live, on=D(2025, 4, 1), by=staff, route=Route.OFFICE365)]
    client = login_as_role(AUDITOR)
    objects = {type(obj): obj for obj in world} | {type(staff): staff}

    for model, model_admin in admin.site._registry.items():
        assert client.get(changelist_url(model)).status_code == 200, model
        obj = objects.get(model) or model.objects.first()
        if obj is None:
            continue
        page = client.get(change_url(obj))
        assert page.status_code == 200, model
        assert 'name="_save"' not in page.content.decode(), model
        assert client.post(change_url(obj), {}).status_code == 403, model
        if hasattr(model_admin, "history_view"):
            history = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, model
    version = live.history.earliest()
    version_page = reverse("admin:contracts_contract_simple_history", args=[live.pk, version.history_id])
    assert client.get(version_page).status_code == 200
    assert client.post(version_page, {}).status_code == 403
    assert client.get(changelist_url(Contract)).context["action_form"] is None  # no action offered


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_admin_list_and_add_page_answers_each_role_without_a_server_error(role, login_as_role):
    client = login_as_role(role)
    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        assert client.get(changelist_url(model)).status_code in (200, 403), model
        assert client.get(changelist_url(model) + "add/").status_code in (200, 403), model


def test_each_role_is_offered_only_its_own_actions(login_as_role):
    offered = {}
    for role in (SALES, BILLING, LOGISTICS):
        page = login_as_role(role).get(changelist_url(Contract))
        form = page.context["action_form"]
        offered[role] = {name for name, _label in form.fields["action"].choices if name} if form else set()
    assert offered[SALES] == {
        "accept",
        "start_billing",
        "register_notice",
        "withdraw_notice",
        "withdraw",
        "terminate",
    }
    assert offered[BILLING] == {"override_terms", "agree_price"}
    assert offered[LOGISTICS] == set()


def test_the_action_runner_refuses_a_user_without_the_action_permission(django_user_model):
    """Defence in depth: even called past Django's action filter, the runner checks the permission."""
    contract = applied()
    user = django_user_model.objects.create_user("seller", is_staff=True)
    user.groups.add(Group.objects.get(name=BILLING))
    request = RequestFactory().post("/", {"_step": "confirm", "on": "2025-01-10"})
    request.user = user
    accept = next(a for a in admin.site._registry[Contract].actions if a.__name__ == "accept")
    with pytest.raises(PermissionDenied):
        run(accept.step_action, admin.site._registry[Contract], request, Contract.objects.filter(pk=contract.pk))
    contract.refresh_from_db()
    assert contract.status == Status.APPLIED


def test_without_the_change_permission_a_live_contract_keeps_its_attributes(client, django_user_model, staff):
    """A group that may edit contracts but not accept changes edits only the note of a live one."""
    editors = Group.objects.create(name="editors")
    editors.permissions.set(Permission.objects.filter(codename__in=["view_contract", "change_contract"]))
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(editors)
    contract = active()
    superuser = Client()
    superuser.force_login(staff)
    data = {**change_form_data(superuser.get(change_url(contract))), "route": Route.OFFICE365, "note": "called"}
    client.force_login(user)

    assert 'name="change_accepted_on"' not in client.get(change_url(contract)).content.decode()
    assert client.post(change_url(contract), data).status_code == 302
    contract.refresh_from_db()
    assert (contract.route, contract.note) == (Route.MICROSOFT, "called")
    assert not ContractChange.objects.exists()


def test_the_abolition_page_offers_execution_only_to_the_approver(login_as_role):
    abolition = draft_abolition()
    execute = reverse("admin:contracts_abolition_execute", args=[abolition.pk])
    assert execute not in login_as_role(BILLING).get(change_url(abolition)).content.decode()
    assert execute in login_as_role(APPROVER).get(change_url(abolition)).content.decode()


# The groups and what they hold.


def test_groups_hold_what_the_apps_declare_and_the_auditor_every_view():
    for name in (SALES, LOGISTICS, BILLING, APPROVER):
        held = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}
        assert held == roles.granted(name)

    def names(permissions):
        return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}

    views = names(Permission.objects.filter(codename__startswith="view_"))
    assert names(Group.objects.get(name=AUDITOR).permissions.all()) == views | roles.granted(AUDITOR)


def test_sync_takes_back_a_permission_added_by_hand():
    sales = Group.objects.get(name=SALES)
    sales.permissions.add(Permission.objects.get(codename="override_terms_contract"))
    roles.sync_roles()
    assert not sales.permissions.filter(codename="override_terms_contract").exists()


def test_an_app_extends_a_role_with_one_declaration():
    with registry.kept():
        registry.register("role_grants", {LOGISTICS: ["contracts.change_bandwidtharea"]}, name="tests")
        roles.sync_roles()
    assert Group.objects.get(name=LOGISTICS).permissions.filter(codename="change_bandwidtharea").exists()


def test_a_declaration_with_an_unknown_role_or_permission_is_refused():
    with registry.kept():
        with pytest.raises(ImproperlyConfigured, match="Unknown roles"):
            registry.register("role_grants", {"sale": ["contracts.view_contract"]}, name="tests")
        registry.register("role_grants", {SALES: ["contracts.fly_contract"]}, name="tests")
        with pytest.raises(ImproperlyConfigured, match="contracts.fly_contract"):
            roles.sync_roles()


@pytest.mark.django_db(transaction=True)
def test_groups_and_their_permissions_come_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLE_NAMES)
    assert Group.objects.get(name=APPROVER).permissions.filter(codename="execute_abolition").exists()


def test_ensure_demo_login_creates_one_login_per_role(monkeypatch, django_user_model, japanese):
    monkeypatch.setenv("DEMO_PASSWORD", "pw-for-tests-only-2026")
    out = io.StringIO()
    call_command("ensure_demo_login", stdout=out)
    for name in ROLE_NAMES:
        user = django_user_model.objects.get(username=name)
        assert user.is_staff and not user.is_superuser and user.check_password("pw-for-tests-only-2026")
        assert list(user.groups.values_list("name", flat=True)) == [name]
        assert f"ユーザー: {name}  パスワード: pw-for-tests-only-2026" in out.getvalue()

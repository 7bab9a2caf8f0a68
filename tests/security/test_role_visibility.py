"""Every page shows a role only what it may view (finding 3): each role walks the customer pages, the
timeline, the contract and unit pages, its worklists, the dashboard and the list exports of one customer
who has a bit of everything; no link leads to, and no value comes from, a model the role cannot view."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from backoffice import worklists
from backoffice.display import yen
from backoffice.roles import ROLE_NAMES
from billing.models import Invoice
from contracts.choices import ServiceCode
from contracts.models import Item, OptionKind, Service
from equipment.choices import IncidentKind
from equipment.services import charges, incidents
from sla.services import claims, outages
from tests import factories as f
from tests.billing.helpers import bill_and_close
from tests.equipment import factories as ef
from tests.sla.builders import at, claim, live, outage

pytestmark = pytest.mark.django_db

D = date
HREF = re.compile(r'href="([^"#?]+)')
#: The service and item of a contract are named on every contract page; Django links a read-only foreign
#: key whatever the reader's permissions (the linked page then refuses a role without the catalogue).
CATALOG = (Service, Item, OptionKind)


@pytest.fixture
def story(django_user_model, django_capture_on_commit_callbacks):
    """One customer with a contract hit by an outage and credited, a router lost and charged, an invoice;
    returns the customer, its contracts and unit, and what shows each model's rows: ``{model label: texts}``."""
    customer = f.customer()
    cxm2 = live(customer=customer)
    row = outage(at(2025, 3, 3, 10), timedelta(hours=13), cause="LEAKCHECK fibre cut")
    outages.affect(row, [cxm2], by=None)
    claims.decide(claim(row, cxm2, D(2025, 3, 20)), on=D(2025, 3, 20), by=None)
    router = f.activate(f.contract(ServiceCode.MANAGED_ROUTER, customer))
    unit = ef.installed(ef.unit(), contract=router)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.LOSS, on=D(2025, 3, 1))
    charge = charges.assess(incident, on=D(2025, 3, 3), by=django_user_model.objects.create_user("assessor"))
    with django_capture_on_commit_callbacks(execute=True):
        month = bill_and_close(2025, 3)
    invoice = Invoice.objects.get(customer=customer, month=month)
    shown_by = {
        "billing.Invoice": (invoice.display_number, "Invoice issued"),
        "sla.Outage": ("LEAKCHECK fibre cut",),
        "sla.Credit": ("Credit granted",),
        "equipment.Incident": ("Incident: ",),
        "equipment.Charge": (yen(charge.amount),),
        "equipment.UnitEvent": ("Unit: ",),
    }
    return customer, (cxm2, router), unit, shown_by


def _role_client(role: str) -> tuple[Client, User]:
    user = User.objects.create_user(f"{role}-walker", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client, user


def _pages(customer, contracts, unit, user) -> list[str]:
    pages = [
        reverse("admin:index"),
        reverse("admin:customers_customer_changelist"),
        reverse("admin:customers_customer_change", args=[customer.pk]),
        reverse("admin:customers_customer_timeline", args=[customer.pk]),
        *(reverse("admin:contracts_contract_change", args=[c.pk]) for c in contracts),
        reverse("admin:equipment_unit_change", args=[unit.pk]),
        reverse("reports:dashboard") + "?month=2025-03",
        *(reverse(f"admin:{name}_export", args=["csv"]) for name in ("customers_customer", "contracts_contract")),
    ]
    pages += [link.url for _, links in worklists.visible(user) for link in links]
    return pages


def _model_of(path: str):
    """The registered model an admin URL shows (its list, a row, its history), if any."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    for model in admin.site._registry:
        if match.url_name and match.url_name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def _may_view(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_no_page_shows_a_role_rows_of_a_model_it_cannot_view(story, role):
    customer, contracts, unit, shown_by = story
    client, user = _role_client(role)
    hidden = {label: texts for label, texts in shown_by.items() if not _may_view(user, _model(label))}
    seen_pages = 0
    for page in _pages(customer, contracts, unit, user):
        response = client.get(page)
        assert response.status_code in (200, 302, 403), page
        if response.status_code != 200:
            continue
        seen_pages += 1
        content = b"".join(response) if response.streaming else response.content
        text = content.decode("utf-8-sig")
        for label, texts in hidden.items():
            for value in texts:
                assert value not in text, f"{role} sees {label} ({value!r}) on {page}"
        for href in HREF.findall(text):
            model = _model_of(urlsplit(href).path)
            if model is None or model in CATALOG:
                continue
            assert _may_view(user, model), f"{role} is led to {model._meta.label} from {page}"
    assert seen_pages >= 4


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def test_a_role_that_reads_everything_sees_every_marker_on_the_timeline(story):
    customer, _contracts, _unit, shown_by = story
    client, _user = _role_client("auditor")
    text = client.get(reverse("admin:customers_customer_timeline", args=[customer.pk])).content.decode()
    for label, texts in shown_by.items():
        assert any(value in text for value in texts), label

"""Every registered admin answers for a superuser, and its list costs the same queries for 5 or 50 rows."""

import itertools
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from api import tokens
from api.models import ApiToken, WebhookEvent, WebhookSubscription
from api.webhooks import subscriptions
from billing.background import BILLING_RUN
from contracts.choices import Area, ServiceCode
from contracts.models import (
    Abolition,
    BandwidthArea,
    ChangeKind,
    Contract,
    ContractChange,
    ContractOption,
    DatedPrice,
    Item,
    OneTimeFee,
    OneTimeFeeKind,
    OptionKind,
    PriceOrigin,
    Service,
)
from customers.choices import RelatedKind
from customers.models import Customer, RelatedContract
from equipment.models import Charge, Incident, PriceListEntry, ReturnReminder, Unit, UnitModel
from jobs.models import Job
from outbox import sending
from outbox.models import Message
from sla.models import AffectedContract, Claim, Credit, FailureNotification, Outage
from tests import factories as f
from tests.billing import makers as billing_makers
from tests.equipment import factories as ef
from tests.monitoring import makers as monitoring_makers
from tests.provisions import makers as provisions_makers
from tests.receivables import makers as receivables_makers
from tests.sla import builders as sla

from .conftest import changelist_url

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def _contract():
    return f.contract(ServiceCode.CXM2)


def _sign_in(model, **fields):
    """A recorded sign-in (django-axes) of a new user name from a client address."""
    return model.objects.create(
        username=f"user{next(_seq)}", ip_address="192.0.2.1", user_agent="pytest", attempt_time=timezone.now(), **fields
    )


def _subscription():
    owner = User.objects.create_superuser(f"user{next(_seq)}")
    row = WebhookSubscription(url="https://example.jp/hooks", events=[WebhookEvent.JOB_FINISHED])
    subscriptions.create(row, by=owner)
    return row


def _api_token():
    user = User.objects.create_user(f"user{next(_seq)}")
    token = ApiToken(user=user, name="system")
    tokens.issue(token, by=user)
    return token


#: How to add one more row of each registered model (related rows are created as needed).
MAKERS = {
    Customer: lambda: f.customer(),
    RelatedContract: lambda: f.related(f.customer(), RelatedKind.PBB),
    Contract: _contract,
    ContractOption: lambda: f.option(_contract(), "cxm2.napt"),
    ContractChange: lambda: ContractChange.objects.create(
        contract=_contract(), kind=ChangeKind.ROUTE, accepted_on=date(2025, 2, 1), fee=10_000
    ),
    OneTimeFee: lambda: OneTimeFee.objects.create(
        contract=f.contract(ServiceCode.MANAGED_ROUTER),
        kind=OneTimeFeeKind.TRAVEL,
        amount=1_000,
        incurred_on=date(2025, 2, 1),
        reason="visit",
    ),
    BandwidthArea: lambda: BandwidthArea.objects.create(contract=_contract(), area=Area.EAST, mbps=300),
    DatedPrice: lambda: DatedPrice.objects.create(
        contract=_contract(),
        valid_from=date(2025, 2, 1),
        origin=PriceOrigin.AGREEMENT,
        item_id="cxm2.100m",
        monthly_fee=50_000,
        change_fee=10_000,
    ),
    Service: lambda: Service.objects.create(
        code=f"x{next(_seq)}", name_ja="試験", name_en="Test", terms_as_of=date(2025, 1, 1)
    ),
    Item: lambda: Item.objects.create(code=f"cxm2.test{next(_seq)}", service_id="cxm2", name_ja="試験", name_en="Test"),
    OptionKind: lambda: OptionKind.objects.create(
        code=f"cxm2.test{next(_seq)}", service_id="cxm2", name_ja="試験", name_en="Test"
    ),
    Abolition: lambda: Abolition.objects.create(service_id="cxm2", effective_on=date(2030, 1, 1), reason="test"),
    UnitModel: ef.unit_model,
    Unit: ef.unit,
    Incident: ef.loss,
    Charge: ef.assessed_charge,
    PriceListEntry: lambda: PriceListEntry.objects.get(unit_model=ef.unit_model(), kind="loss"),
    ReturnReminder: ef.reminder,
    Message: lambda: sending.post(
        topic="test", key=f"test:{next(_seq)}", to="a@example.jp", subject="件名", body="本文", dispatch=False
    ),
    Outage: sla.an_outage,
    AffectedContract: sla.an_affected_contract,
    FailureNotification: lambda: sla.notify(sla.an_outage(), f.customer(), sla.at(2025, 3, 3, 10), None),
    Claim: lambda: sla.a_claim(),
    Credit: lambda: sla.a_credit(),
    User: lambda: User.objects.create_user(f"user{next(_seq)}"),
    Group: lambda: Group.objects.create(name=f"group{next(_seq)}"),
    AccessAttempt: lambda: _sign_in(AccessAttempt, failures_since_start=3, get_data="", post_data=""),
    AccessLog: lambda: _sign_in(AccessLog),
    AccessFailureLog: lambda: _sign_in(AccessFailureLog, locked_out=False),
    TOTPDevice: lambda: TOTPDevice.objects.create(user=User.objects.create_user(f"user{next(_seq)}"), name="app"),
    StaticDevice: lambda: StaticDevice.objects.create(user=User.objects.create_user(f"user{next(_seq)}"), name="codes"),
    Job: lambda: Job.objects.create(kind=BILLING_RUN.name, description="run", arguments={"month": 1}),
    WebhookSubscription: _subscription,
    ApiToken: _api_token,
    **billing_makers.MAKERS,
    **provisions_makers.MAKERS,
    **receivables_makers.MAKERS,
    **monitoring_makers.MAKERS,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_registered_model_has_a_row_maker():
    assert set(REGISTERED) <= set(MAKERS), set(REGISTERED) - set(MAKERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_list_add_change_and_history_pages_answer(staff_client, staff, rf, model):
    obj = MAKERS[model]()
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    request = rf.get("/")
    request.user = staff
    addable = admin.site._registry[model].has_add_permission(request)
    for url, expected in (
        (reverse(f"{info}_changelist"), 200),
        (reverse(f"{info}_add"), 200 if addable else 403),
        (reverse(f"{info}_change", args=[obj.pk]), 200),
        (reverse(f"{info}_history", args=[obj.pk]), 302 if model._meta.proxy else 200),  # the proxied row's
    ):
        response = staff_client.get(url)
        assert response.status_code == expected, url


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(changelist_url(model)).status_code == 200
        return len(captured)

    for _ in range(5):
        MAKERS[model]()
    with_5 = queries_for_list()
    for _ in range(45):
        MAKERS[model]()
    with_50 = queries_for_list()
    assert with_5 == with_50
    assert with_50 <= 12


OWN = (
    Customer,
    RelatedContract,
    Service,
    Item,
    OptionKind,
    Contract,
    ContractOption,
    BandwidthArea,
    ContractChange,
    OneTimeFee,
    UnitModel,
    Unit,
    Incident,
    Charge,
    PriceListEntry,
    ReturnReminder,
    Outage,
    AffectedContract,
    FailureNotification,
    Claim,
    Credit,
    ApiToken,
    *provisions_makers.MAKERS,
    *receivables_makers.MAKERS,
    *monitoring_makers.MAKERS,
)


@pytest.mark.parametrize("model", OWN, ids=lambda m: m._meta.label)
def test_every_admin_keeps_history_and_skips_the_full_count(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, SimpleHistoryAdmin)
    assert model_admin.show_full_result_count is False
    assert model_admin.search_fields
    assert model_admin.list_filter

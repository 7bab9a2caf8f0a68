"""Named constraints: evaluated in Python by full_clean (same verdict as the database, no query),
each refusal naming the field and the article, and the database's own refusal told the same way."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint
from django.test.utils import CaptureQueriesContext

from backoffice.constraints import Check, evaluate
from backoffice.integrity import refusal_of
from contracts.choices import ApplicationType, ServiceCode, Status
from contracts.models import Contract
from contracts.services import lifecycle
from customers.choices import RelatedKind
from customers.models import RelatedContract
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ALL_CHECKS = [
    (model, constraint)
    for model in apps.get_models()
    for constraint in model._meta.constraints
    if isinstance(constraint, Check)
]


def _ours(model) -> bool:
    """A model of the project's own apps (a library's, like the task queue's, keeps its own constraints)."""
    return "site-packages" not in model._meta.app_config.path


def test_every_check_constraint_carries_its_own_message_and_field():
    plain = [
        constraint.name
        for model in apps.get_models()
        if _ours(model)
        for constraint in model._meta.constraints
        if not hasattr(constraint, "fields") and not isinstance(constraint, Check)
    ]
    assert plain == []
    for model, constraint in ALL_CHECKS:
        assert constraint.violation_error_message != constraint.default_violation_error_message, constraint.name
        assert model._meta.get_field(constraint.field), constraint.name


def _variants():
    """Contracts of every service, then each with one attribute or lifecycle value changed."""
    rows = [f.contract(service) for service in ServiceCode.values]
    changes = [
        {"application_type": None},
        {"route": "office365"},
        {"region": None},
        {"closed_network": None},
        {"building_type": "detached"},
        {"line_count": 0},
        {"line_count": 10**8},
        {"standby_of_id": 1},
        {"status": Status.ACTIVE},
        {"status": Status.TERMINATED},
        {"status": Status.ACCEPTED, "accepted_on": date(2025, 1, 1)},
        {"monthly_fee": -1},
        {"min_months": 121},
        {"termination_reason": "nonsense"},
    ]
    for row in rows:
        yield row
        for change in changes:
            variant = Contract(**{field.attname: getattr(row, field.attname) for field in Contract._meta.fields})
            for name, value in change.items():
                setattr(variant, name, value)
            yield variant


def test_python_verdict_is_the_databases(db):
    """``Check`` evaluates each condition in Python exactly as Django's query does (NULL passes)."""
    for row in _variants():
        for constraint in Contract._meta.constraints:
            if not isinstance(constraint, Check):
                continue
            python = evaluate(constraint.condition, row) is not False
            try:
                CheckConstraint.validate(constraint, Contract, row)  # Django's own query
                database = True
            except ValidationError:
                database = False
            assert python == database, (constraint.name, {k: v for k, v in vars(row).items() if k[0] != "_"})


@pytest.mark.parametrize(
    ("service", "fields", "field", "message"),
    [
        (ServiceCode.CXM2, {"route": None}, "route", "CXM2 contracts need their route (CXM2 art. 2)."),
        (ServiceCode.CXM2, {"region": None}, "region", "CXM2 contracts need their location / region (CXM2 art. 3)."),
        (
            ServiceCode.ISP_PLATFORM,
            {"building_type": None},
            "building_type",
            "ISP Platform contracts need their building type (ISP Platform art. 5).",
        ),
        (
            ServiceCode.SMART_HUB,
            {"route": "office365"},
            "route",
            "Only CXM2 contracts have a route (CXM2 art. 2).",
        ),
        (
            ServiceCode.CXM2,
            {"related_contract_id": None, "management_unit": "HQ"},
            "management_unit",
            "Only Cloud Proxy contracts have a management unit (Cloud Proxy art. 1).",
        ),
    ],
)
def test_a_row_that_does_not_fit_its_service_is_refused_on_the_field(service, fields, field, message):
    contract = f.contract(service)
    contract.pk, contract.number = None, "C-NEW"  # a new application: no change rule applies
    for name, value in fields.items():
        setattr(contract, name, value)
    with pytest.raises(ValidationError) as refused:
        contract.full_clean()
    assert message in refused.value.message_dict[field]
    assert "contracts_contract_" not in str(refused.value)


def test_the_databases_refusal_is_told_by_the_constraint_on_its_field():
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        f.contract(ServiceCode.CXM2, route=None)
    refusal = refusal_of(refused.value)
    assert refusal.message_dict == {"route": ["CXM2 contracts need their route (CXM2 art. 2)."]}


def test_a_refusal_of_a_related_contract_is_told_on_its_field():
    customer = f.customer()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        RelatedContract.objects.create(customer=customer, kind=RelatedKind.PBB, started_on=date(2024, 1, 1))
    assert refusal_of(refused.value).message_dict == {
        "closed_network": ["A Private Backbone contract needs its closed network id."]
    }


def test_a_unique_columns_refusal_is_told_in_the_words_of_full_clean():
    f.contract(ServiceCode.CXM2, number="C-SAME")
    twin = Contract(number="C-SAME")
    with pytest.raises(ValidationError) as checked:
        twin.validate_unique()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        f.contract(ServiceCode.CXM2, number="C-SAME")
    assert (
        refusal_of(refused.value).message_dict
        == checked.value.message_dict
        == {"number": ["Contract with this Contract number already exists."]}
    )


def test_a_unique_constraints_refusal_is_told_by_its_columns_where_the_database_names_no_index():
    first, second = f.contract(ServiceCode.SMART_HUB), f.contract(ServiceCode.SMART_HUB)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Contract.objects.filter(pk=second.pk).update(closed_network=first.closed_network)
    assert refusal_of(refused.value).messages == [
        "A closed network can have only one Smart HUB contract (Smart HUB art. 3)."
    ]


def test_a_refusal_of_an_unnamed_constraint_keeps_the_databases_words():
    contract = f.contract(ServiceCode.CXM2)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(applied_on=None)
    assert "The database refused the change" in refusal_of(refused.value).messages[0]


def test_full_clean_runs_no_query_per_check_constraint():
    contract = f.contract(ServiceCode.CXM2)
    with CaptureQueriesContext(connection) as queries:
        contract.full_clean()
    assert not [q for q in queries if "_check" in q["sql"]]
    assert len(queries) <= 8


def test_accept_and_start_billing_stay_within_fifteen_queries(django_assert_max_num_queries):
    contract = f.contract(ServiceCode.CXM2, application_type=ApplicationType.ACTIVE)
    with django_assert_max_num_queries(15):
        lifecycle.accept(contract, on=date(2025, 1, 10))
    with django_assert_max_num_queries(15):
        lifecycle.start_billing(contract, on=date(2025, 1, 15))

"""The one registry: fixed keys, one way in, a name taken once, and every key filled once the apps are ready."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from backoffice.registry import KEYS, Registry, registry
from customers.models import Customer


def source(period):
    return []


def other_source(period):
    return []


def test_the_keys_are_fixed_up_front():
    assert set(registry) == set(KEYS)
    fresh = Registry(KEYS)
    assert all(len(fresh[key]) == 0 for key in KEYS)
    with pytest.raises(ImproperlyConfigured, match="No registry key 'charge_source'"):
        fresh.register("charge_source", source, name="tests.source")
    with pytest.raises(KeyError):
        fresh["charge_source"]
    assert set(fresh) == set(KEYS)


def test_reading_returns_what_was_registered_in_order_and_cannot_write():
    fresh = Registry(KEYS)
    fresh.register("charge_sources", source, name="tests.b")
    fresh.register("charge_sources", other_source, name="tests.a")
    assert list(fresh["charge_sources"].items()) == [("tests.b", source), ("tests.a", other_source)]
    with pytest.raises(TypeError):
        fresh["charge_sources"]["tests.c"] = source


def test_the_same_item_twice_is_a_no_op_and_another_under_its_name_is_refused():
    fresh = Registry(KEYS)
    fresh.register("charge_sources", source, name="tests.source")
    fresh.register("charge_sources", source, name="tests.source")  # ready() run again
    assert list(fresh["charge_sources"].values()) == [source]
    with pytest.raises(ImproperlyConfigured, match="'tests.source' is already registered"):
        fresh.register("charge_sources", other_source, name="tests.source")
    assert fresh["charge_sources"]["tests.source"] is source


def test_an_item_is_named_by_its_own_name_else_its_dotted_path():
    fresh = Registry(KEYS)
    fresh.register("guards", source, to=Customer)
    assert fresh["guards"] == {"customers.customer": {f"{__name__}.source": source}}


def test_parts_are_added_to_a_target_and_read_by_it():
    fresh = Registry(KEYS)
    fresh.register("guards", source, to=Customer)
    fresh.register("guards", other_source, to=Customer)
    assert fresh.added_to("guards", Customer) == [source, other_source]
    assert fresh.added_to("guards", Customer()) == [source, other_source]  # an instance reads the same
    with pytest.raises(ImproperlyConfigured, match="needs a target"):
        fresh.register("guards", source)
    with pytest.raises(ImproperlyConfigured, match="takes no target"):
        fresh.register("charge_sources", source, name="tests.source", to=Customer)


def test_a_key_refuses_an_ill_formed_item():
    fresh = Registry(KEYS)
    with pytest.raises(ImproperlyConfigured, match="declares no permission"):
        fresh.register("timeline_sources", source)
    with pytest.raises(ImproperlyConfigured, match="Unknown roles"):
        fresh.register("role_grants", {"sale": ["customers.view_customer"]}, name="tests")


def test_what_is_registered_while_kept_is_forgotten_after():
    before = dict(registry["charge_sources"])
    with registry.kept("charge_sources"):
        assert len(registry["charge_sources"]) == 0
        registry.register("charge_sources", source, name="tests.source")
    assert dict(registry["charge_sources"]) == before


def test_after_startup_every_key_is_filled():
    assert all(len(registry[key]) > 0 for key in KEYS), [key for key in KEYS if not registry[key]]
    assert set(registry["role_grants"]) == {
        "api",
        "billing",
        "contracts",
        "customers",
        "equipment",
        "jobs",
        "outbox",
        "provisions",
        "receivables",
        "monitoring",
        "reports",
        "sla",
    }
    assert {"billing.contracts", "equipment.charges", "equipment.cancellation_fees", "sla.credits"} <= set(
        registry["charge_sources"]
    )
    assert {
        "billing.render_documents",
        "billing.run",
        "contracts.import",
        "equipment.import_units",
        "reports.monthly_report",
        "receivables.import_bank_file",
        "receivables.deliver",
        "receivables.print_paper",
        "receivables.dunning",
        "receivables.export_journal",
        "receivables.post_journal",
        "receivables.send_outbox",
    } == set(registry["job_kinds"])


def test_running_every_ready_again_changes_nothing():
    """Tests run ``ready()`` more than once: the same registrations again are no-ops, none refused."""
    before = {key: dict(registry[key]) for key in KEYS}
    for config in apps.get_app_configs():
        config.ready()
    assert {key: dict(registry[key]) for key in KEYS} == before

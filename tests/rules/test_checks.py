"""How the rules run: the catalog codes they name exist, and a check reads but never writes."""

import ast
import re
from datetime import date as D
from pathlib import Path

import pytest

from contracts import catalog_data, rules
from contracts.choices import ApplicationType, ServiceCode
from contracts.models import Contract
from contracts.services import lifecycle
from customers.choices import RelatedKind
from tests import factories as f

RULES_DIR = Path(rules.__file__).parent
CODE = re.compile(rf"^({'|'.join(code for code, *_ in catalog_data.SERVICES)})\.[a-z0-9_.]+$")


def _codes_named_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)
    }


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda path: path.name)
def test_every_catalog_code_named_in_the_rules_is_in_the_catalog(path):
    catalog = {code for _, code, *_ in catalog_data.ITEMS} | {code for _, code, *_ in catalog_data.OPTIONS}
    assert _codes_named_in(path) <= catalog


def test_the_scan_finds_the_codes_the_rules_name():
    """Guard the test above against a pattern that matches nothing."""
    named = set().union(*(_codes_named_in(path) for path in RULES_DIR.glob("*.py")))
    assert {"cxm2.firewall", "managed_router.cold_standby", "smart_hub.cloud_port"} <= named


@pytest.mark.django_db
def test_the_smart_hub_check_does_not_fill_in_the_closed_network():
    pbb = f.related(f.customer(), RelatedKind.PBB)
    hub = Contract(
        customer=pbb.customer,
        service_id=ServiceCode.SMART_HUB,
        item_id="smart_hub.base",
        related_contract=pbb,
        applied_on=D(2025, 1, 6),
    )
    with f.refused("(Smart HUB art. 3)"):
        rules.check_contract(hub)
    assert hub.closed_network is None
    hub.full_clean()  # the model fills it in from the PBB, then the rules pass
    assert hub.closed_network == pbb.closed_network


@pytest.mark.django_db
def test_the_cxm2_check_does_not_drop_the_partner_of_a_standby_made_active():
    partner = f.activate(f.contract(ServiceCode.CXM2))
    standby = f.contract(
        ServiceCode.CXM2, partner.customer, application_type=ApplicationType.STANDBY, standby_of=partner
    )
    lifecycle.accept(standby, on=D(2025, 1, 10))
    standby.application_type = ApplicationType.ACTIVE
    with f.refused("(CXM2 art. 5)"):
        rules.check_contract(standby)
    assert standby.standby_of == partner
    standby.full_clean()  # the model drops the partner of a former Standby, then the rules pass
    assert standby.standby_of is None

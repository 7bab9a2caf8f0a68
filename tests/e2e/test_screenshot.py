"""The contract list with a handful of rows, as a picture for the README.

Always renders the page (so a broken layout fails here); writes docs/screenshot.png only when
run with ``UPDATE_DOCS_SCREENSHOT=1``:

    UPDATE_DOCS_SCREENSHOT=1 .venv/bin/python -m pytest tests/e2e/test_screenshot.py
"""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from contracts.choices import BuildingType, ServiceCode
from contracts.services import lifecycle
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshot.png"


def _a_handful_of_contracts(staff):
    acme = f.customer(code="C10001", name="株式会社アクメ通信")
    kita = f.customer(code="C10002", name="北日本ネットワーク株式会社")
    minato = f.customer(code="C10003", name="みなと物流株式会社")
    active = f.activate(f.contract(ServiceCode.CXM2, acme, applied_on=date(2025, 1, 6)), by=staff)
    f.activate(
        f.contract(ServiceCode.CXM2, kita, item="cxm2.1g", applied_on=date(2025, 2, 3)),
        accepted_on=date(2025, 2, 10),
        billing_on=date(2025, 3, 1),
        by=staff,
    )
    lifecycle.register_notice(active, received_on=date(2025, 6, 2), requested_on=date(2025, 7, 31), by=staff)
    accepted = f.contract(ServiceCode.CXM2, minato, item="cxm2.500m", applied_on=date(2025, 4, 1))
    lifecycle.accept(accepted, on=date(2025, 4, 7), by=staff)
    f.contract(ServiceCode.SMART_HUB, kita, applied_on=date(2025, 4, 14))
    f.contract(ServiceCode.CLOUD_PROXY, minato, applied_on=date(2025, 5, 12), management_unit="本社")
    f.contract(
        ServiceCode.ISP_PLATFORM,
        acme,
        applied_on=date(2025, 5, 20),
        building_type=BuildingType.DETACHED,
        line_count=120,
    )
    lifecycle.accept(f.option(active, "cxm2.napt", applied_on=date(2025, 2, 1)), on=date(2025, 2, 3), by=staff)


def test_contract_list_screenshot(logged_in, site, staff, tmp_path):
    _a_handful_of_contracts(staff)
    page = logged_in
    page.set_viewport_size({"width": 1800, "height": 720})
    page.goto(f"{site}/admin/contracts/contract/")
    page.click("#toggle-nav-sidebar")  # the list gets the whole width
    page.evaluate("window.scrollTo(0, 0)")
    assert page.locator("#result_list tbody tr").count() == 6

    shot = tmp_path / "screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOT)

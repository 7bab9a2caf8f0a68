"""In the browser: registering a cancellation notice inside the minimum period shows the settlement first."""

import pytest

from contracts.choices import ServiceCode, Status
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_settlement_is_on_the_confirmation_before_the_notice_is_registered(logged_in, site, staff):
    page = logged_in
    contract = f.activate(f.contract(ServiceCode.CXM2), by=staff)  # minimum period 2025-01-15..02-14
    amount = contract.monthly_fee * 3 // 28  # last day 2025-02-11: 3 of 28 February days remain

    page.goto(f"{site}/admin/contracts/contract/")
    page.check(f"input[name=_selected_action][value='{contract.pk}']")
    page.select_option("select[name=action]", "register_notice")
    page.click("button[name=index]")
    page.wait_for_selector("#step-action-form")
    page.fill("#id_received_on", "2025-01-12")
    page.click("input[name=_next]")
    notes = page.locator("ul.confirmation-notes").inner_text()

    assert f"最低利用期間内解除調定金:{amount:,}円(タイプM2個別規程第12条、別紙3)" in notes
    assert "2025年2月12日から2025年2月14日まで:28日中3日" in notes
    contract.refresh_from_db()
    assert contract.status == Status.ACTIVE  # shown, not yet done

    page.click("input[name=_confirm]")
    page.wait_for_selector("ul.messagelist li.success")
    contract.refresh_from_db()
    assert contract.status == Status.CANCELLING

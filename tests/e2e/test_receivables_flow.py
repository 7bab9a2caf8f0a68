"""Receivables in the browser, as billing: import a 全銀協 file (dry run first, each a job), see a payment matched
automatically, and match the one the app could not place by hand from its ranked candidates."""

import pytest

from receivables.models import Payment, TransferName
from tests.receivables import zengin_bytes as z
from tests.receivables.conftest import issue, sato, yamada  # noqa: F401  (invoices to pay, two customers)
from tests.workers import run_ready_tasks

from .steps import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def notice(*data):
    total = sum(int(d[19:29]) for d in data)
    return b"\r\n".join([z.notice_header(), *data, z.notice_trailer(len(data), total), z.end()])


def test_import_see_it_matched_and_match_one_by_hand(page, site, issue, yamada, sato):  # noqa: F811
    bills = issue(2025, 2, (yamada, 10_000), (sato, 5_000))
    sign_in(page, site, "billing")
    data = notice(z.notice_data(1, 11_000, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"), z.notice_data(2, 5_500, "ｻﾄｳ ﾀﾛｳ"))
    upload = {"name": "furikomi.txt", "mimeType": "text/plain", "buffer": data}

    page.goto(f"{site}/admin/receivables/payment/")
    page.click("a[href$='/bankfile/import/']")
    page.set_input_files("#id_file", files=[upload])
    page.click("#content-main form input[type=submit]")  # the dry run is ticked at first: a job, then its page
    page.wait_for_url("**/admin/jobs/job/*/change/")
    run_ready_tasks()
    page.reload()
    assert "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" in page.locator(".field-result_column").inner_text()  # each record's line
    assert not Payment.objects.exists()
    page.goto(f"{site}/admin/receivables/bankfile/import/")
    page.set_input_files("#id_file", files=[upload])
    page.uncheck("#id_dry_run")
    page.click("#content-main form input[type=submit]")
    page.wait_for_url("**/admin/jobs/job/*/change/")
    run_ready_tasks()
    assert Payment.objects.count() == 2

    page.goto(f"{site}/admin/receivables/payment/?matched=open")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "ｻﾄｳ ﾀﾛｳ" in rows.first.inner_text()
    rows.first.locator("th a").click()
    page.click("a.button:has-text('手作業で消し込む')")
    assert sato.name in page.locator("#candidates").inner_text()  # ranked by the amount
    page.check(f"input[name=invoices][value='{bills[sato].pk}']")
    page.click("#match-form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success")

    assert not Payment.objects.filter(allocated=0).exists()
    assert TransferName.objects.get(customer=sato).name == "ｻﾄｳ ﾀﾛｳ"
    page.goto(f"{site}/admin/receivables/receivable/?state=paid")
    assert page.locator("#result_list tbody tr").count() == 2

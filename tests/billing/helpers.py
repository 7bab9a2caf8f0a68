"""Builders for billing tests: contracts in service on given dates, months billed and closed."""

from datetime import date, timedelta

from billing.closing import close_month
from billing.models import InvoiceLine
from billing.rendering import render_now
from billing.run import billing_month, run_month
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import BandwidthArea
from contracts.services import lifecycle
from tests import factories as f


def in_service(
    service=ServiceCode.CXM2, *, accepted_on, billing_on, cust=None, monthly_fee=None, item=None, areas=(), **kw
):
    """A contract accepted and billed from the given days (optionally with an agreed monthly fee, ISP areas)."""
    contract = f.contract(service, cust, item=item, applied_on=accepted_on, **kw)
    for area, mbps in areas:
        BandwidthArea.objects.create(contract=contract, area=area, mbps=mbps)
    lifecycle.accept(contract, on=accepted_on, monthly_fee=monthly_fee)
    lifecycle.start_billing(contract, on=billing_on)
    contract.refresh_from_db()
    return contract


def ended(row, *, on: date, reason=TerminationReason.CUSTOMER_REQUEST):
    """``row`` terminated with its last day of service ``on`` (a customer's request has its notice first)."""
    if reason == TerminationReason.CUSTOMER_REQUEST:
        lifecycle.register_notice(row, received_on=on - timedelta(days=row.notice_days), requested_on=on)
    lifecycle.terminate(row, on=on, reason=reason)
    row.refresh_from_db()
    return row


def bill(year: int, month: int, *, by=None, **kw):
    row = billing_month(year, month, by=by)
    run_month(row, by=by, **kw)
    return row


def bill_and_close(year: int, month: int, *, by=None):
    """The month billed and closed, its documents rendered (here, as the workers would after the closing)."""
    row = bill(year, month, by=by)
    return close_and_render(row, by=by, issued_on=row.period.last_day)


def close_and_render(row, *, by=None, issued_on):
    close_month(row, by=by, issued_on=issued_on)
    render_now(row, by=by)
    return row


def lines_of(month, **filters) -> dict[str, int]:
    """``{source_key: amount}`` of the month's lines, a monthly fee's key without the month's own suffix
    (``contract:7:monthly``; a late month's fee keeps its suffix)."""
    rows = InvoiceLine.objects.filter(month=month, **filters).values_list("source_key", "amount")
    return {key.removesuffix(f":{month.period}"): amount for key, amount in rows}

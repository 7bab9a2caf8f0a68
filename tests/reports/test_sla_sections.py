"""The report's SLA sections: outages, minutes and credits per service, and the month's outages."""

from datetime import date, timedelta

import pytest

from contracts.choices import ServiceCode
from sla.models import Claim
from sla.services import claims, outages
from tests.sla.builders import at, live, outage

from .files import table, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def sla_march():
    """Two outages in March 2025 (two hours on a CXM2 and a Smart HUB contract with a credit granted,
    30 minutes on the CXM2 only) and one in April."""
    cxm2, hub = live(), live(ServiceCode.SMART_HUB)
    long = outage(at(2025, 3, 3, 10), timedelta(hours=2))
    outages.affect(long, [cxm2, hub], by=None)
    short = outage(at(2025, 3, 20, 23, 50), timedelta(minutes=30), cause='=HYPERLINK("http://evil")')
    outages.affect(short, [cxm2], by=None)
    outages.affect(outage(at(2025, 4, 1, 9), timedelta(hours=1)), [cxm2], by=None)
    affected = long.affected.get(contract=cxm2)
    claim = Claim.objects.create(affected=affected, claimed_on=date(2025, 3, 10))
    credit = claims.decide(claim, on=date(2025, 3, 10), by=None)
    return {"credit": credit, "long": long, "short": short}


def test_outages_minutes_and_credits_per_service(sla_march, tmp_path):
    book = workbook(tmp_path)
    rows = {row[0]: row[1:] for row in table(book["SLA by service"])[1:]}
    credit = sla_march["credit"].availability_amount + sla_march["credit"].notification_amount
    assert credit > 0
    assert rows["IIJ Cloud Exchange Service / Type M2"] == [2, 150, credit]
    assert rows["IIJ Private Backbone Service / Smart HUB"] == [1, 120, 0]
    assert rows["Managed Router Service"] == [0, 0, 0]
    figures = {row[0]: row[1:] for row in table(book.worksheets[0])[1:]}
    assert figures["Outages started in the month"] == [2, None]
    assert figures["Outage minutes"] == [150, None]
    assert figures["SLA credits granted"] == [1, credit]


def test_the_months_outages_are_listed_with_local_times_and_safe_text(sla_march, tmp_path):
    rows = table(workbook(tmp_path)["Outages"])
    assert len(rows) == 3
    assert rows[1][0].isoformat() == "2025-03-03T10:00:00" and rows[1][2] == 120 and rows[1][5] == 2
    assert rows[2][2] == 30 and rows[2][3].startswith("=")  # xlsx text: no CSV prefix

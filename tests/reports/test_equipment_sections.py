"""The report's equipment sections: units by model and state, overdue returns, the month's charges."""

from datetime import date

import pytest

from equipment.services import charges, incidents, units
from tests.equipment import factories as ef

from .files import table, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def equipment_march(today, staff, django_user_model):
    """Three units of one model: one in stock, one installed then asked back by 2025-03-15 (overdue at the end
    of March), one lost on 2025-03-01 whose charge is assessed on 2025-03-02 and approved."""
    today(date(2025, 6, 1))
    model = ef.unit_model(name="RTX830")
    ef.unit(model)
    contract = ef.router_contract()
    awaited = ef.installed(ef.unit(model), contract=contract)
    units.request_return(awaited, on=date(2025, 3, 1), deadline=date(2025, 3, 15))
    charge = ef.assessed_charge()
    charges.approve(charge, on=date(2025, 3, 5), by=staff)
    return {"awaited": awaited, "charge": charge, "contract": contract}


def test_units_by_model_and_state(equipment_march, tmp_path):
    rows = table(workbook(tmp_path)["Units by model and state"])
    assert rows[0] == ["Maker", "Model name", "State", "Units", "Acquisition cost (yen)"]
    rtx = {row[2]: row[3] for row in rows[1:] if row[1] == "RTX830"}
    assert rtx == {"In stock": 1, "Return requested": 1}
    assert sum(row[3] for row in rows[1:]) == 3


def test_overdue_returns_and_charges_of_the_month(equipment_march, tmp_path):
    book = workbook(tmp_path)
    overdue = table(book["Overdue returns"])
    assert [row[0] for row in overdue[1:]] == [equipment_march["awaited"].serial]
    assert overdue[1][3].date() == date(2025, 3, 15)
    assert overdue[1][4] == equipment_march["contract"].number
    header, *charge_rows = table(book["Equipment charges"])
    assert header == ["Charge", "State", "Number of charges", "Amount (yen)"]  # not 負担金 twice
    charged = [row for row in charge_rows if row[2]]
    assert charged == [["Loss charge", "Approved, not yet invoiced", 1, equipment_march["charge"].amount]]
    figures = {row[0]: row[1:] for row in table(book.worksheets[0])[1:]}
    assert figures["Units overdue for return at month end"] == [1, None]
    assert figures["Equipment charges assessed in the month (not rejected)"] == [1, equipment_march["charge"].amount]


def test_before_the_deadline_nothing_is_overdue(equipment_march, tmp_path):
    assert workbook(tmp_path, month="2025-02")["Overdue returns"].max_row == 1


def test_a_unit_flagged_after_the_month_for_a_later_deadline_was_not_overdue_at_its_end(today, tmp_path):
    """Asked back by 2025-04-10 and flagged "not returned" on 2025-04-11: overdue at the end of April, not of March."""
    today(date(2025, 6, 1))
    unit = ef.installed(ef.unit(ef.unit_model()), contract=ef.router_contract())
    units.request_return(unit, on=date(2025, 3, 20), deadline=date(2025, 4, 10))
    assert incidents.flag_overdue(unit, today=date(2025, 4, 11)) is not None

    def overdue_at_the_end_of(month):
        book = workbook(tmp_path, month=month)
        figures = {row[0]: row[1] for row in table(book.worksheets[0])[1:]}
        return figures["Units overdue for return at month end"], book["Overdue returns"].max_row - 1

    assert overdue_at_the_end_of("2025-03") == (0, 0)
    assert overdue_at_the_end_of("2025-04") == (1, 1)

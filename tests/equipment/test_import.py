"""Receiving stock from a CSV: dry run, a report per row, all rows or none."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from equipment.choices import UnitState
from equipment.models import Unit, UnitEvent
from equipment.services.stock_import import import_units

pytestmark = pytest.mark.django_db
D = date

GOOD = "serial,acquired_on,acquisition_cost\nA-001,2025/04/01,61000\nA-002,,\nＡ-003,2025-04-02,\n"


def test_a_dry_run_reports_each_row_and_writes_nothing(unit_model, english):
    report = import_units(GOOD, unit_model=unit_model, acquired_on=D(2025, 4, 1), cost=60_000, dry_run=True)
    assert report.refused == 0 and report.written == 0
    assert [line.split("\t")[2] for line in report.lines] == ["ok", "ok", "ok"]
    assert "Dry run" in report.summary()
    assert not Unit.objects.exists()


def test_a_clean_file_writes_every_unit_with_its_receipt(unit_model, staff):
    report = import_units(GOOD, unit_model=unit_model, acquired_on=D(2025, 4, 1), cost=60_000, by=staff)
    assert report.written == 3
    rows = {u.serial: (u.acquired_on, u.acquisition_cost, u.status) for u in Unit.objects.all()}
    assert rows["A-001"] == (D(2025, 4, 1), 61_000, UnitState.IN_STOCK)
    assert rows["A-002"] == (D(2025, 4, 1), 60_000, UnitState.IN_STOCK)
    assert rows["A-003"] == (D(2025, 4, 2), 60_000, UnitState.IN_STOCK)  # typed in full width
    assert UnitEvent.objects.filter(to_status=UnitState.IN_STOCK, by=staff).count() == 3
    assert Unit.history.filter(history_user=staff).count() == 3


def test_one_bad_row_and_nothing_is_written(unit_model, make_unit, english):
    existing = make_unit()
    rows = ["serial,acquisition_cost,acquired_on", "B-1,100,", "Ｂ-1,100,", f"{existing.serial},1,", "B-2,abc,"]
    text = "\n".join([*rows, ",5,", "B-3,1,2025-13-01", ""])
    report = import_units(text, unit_model=unit_model, acquired_on=D(2025, 4, 1), cost=1)
    assert report.refused == 5
    outcomes = [line.split("\t", 2)[2] for line in report.lines]
    assert outcomes[0] == "ok"
    assert "appears twice" in outcomes[1]
    assert "already exists" in outcomes[2]
    assert "Not a whole number" in outcomes[3]
    assert "cannot be blank" in outcomes[4]
    assert "Not a date" in outcomes[5]
    assert "Nothing was written" in report.summary()
    assert Unit.objects.count() == 1


def test_the_command_imports_a_file_and_fails_loudly_on_a_refused_row(unit_model, tmp_path, english):
    path = tmp_path / "batch.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    out = StringIO()
    call_command("import_units", str(path), model="rx-100", dry_run=True, stdout=out)
    assert "3 rows: 3 ok, 0 refused. Dry run" in out.getvalue()
    assert not Unit.objects.exists()
    call_command("import_units", str(path), model="rx-100", acquired_on="2025-04-01", stdout=StringIO())
    assert Unit.objects.count() == 3
    with pytest.raises(CommandError, match="3 refused"):
        call_command("import_units", str(path), model="rx-100", stdout=StringIO())  # the same serials again
    assert Unit.objects.count() == 3
    with pytest.raises(CommandError, match="header"):
        (tmp_path / "bad.csv").write_text("number\n1\n")
        call_command("import_units", str(tmp_path / "bad.csv"), model="rx-100", stdout=StringIO())

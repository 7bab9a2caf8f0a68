"""The import_contracts command: files in, rows through the services, a report out (docs/import.md)."""

import copy
import csv
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.choices import Status, TerminationReason
from contracts.importer import RawRow, import_rows, runner
from contracts.models import BandwidthArea, Contract, ContractChange, ContractOption
from customers.models import Customer, RelatedContract
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
D = date.fromisoformat


def run(path: Path, *args):
    """Run the command; returns its output and the CommandError it ended with (None for exit status 0)."""
    out = StringIO()
    try:
        call_command("import_contracts", str(path), *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def write_json(tmp_path: Path, doc: dict, name: str = "batch.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(tmp_path: Path, rows: list[dict], name: str = "batch.csv") -> Path:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def line(out: str, row: int) -> str:
    return next(text for text in out.splitlines() if text.startswith(f"{row}\t"))


ACCEPTED = {"applied_on": "2025-01-06", "accepted_on": "2025-01-10", "billing_start_on": "2025-02-01"}
#: A small good file: one corporate customer with a PBB, an active CXM2 and a Smart HUB with its port.
BASE = {
    "customers": [{"code": "K1", "kind": "corporate", "name": "株式会社テスト"}],
    "related_contracts": [
        {"reference": "PBB-1", "customer": "K1", "kind": "pbb", "started_on": "2020-01-01", "closed_network": "CN-1"}
    ],
    "contracts": [
        {
            "number": "CX-1",
            "customer": "K1",
            "item": "cxm2.100m",
            "application_type": "active",
            "route": "office365",
            "region": "tokyo",
            **ACCEPTED,
        },
        {"number": "SH-1", "customer": "K1", "item": "smart_hub.base", "related_contract": "PBB-1", **ACCEPTED},
    ],
    "options": [
        {"contract": "SH-1", "kind": "smart_hub.onprem_port", "port_line": "fiber", "interface": "10g", **ACCEPTED}
    ],
}


def base(**sections) -> dict:
    """BASE with rows appended to its sections."""
    doc = copy.deepcopy(BASE)
    for section, rows in sections.items():
        doc.setdefault(section, []).extend(rows)
    return doc


# --- the example files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contracts.json", "contracts.csv"])
def test_example_files_import_cleanly_on_an_empty_database(name):
    out, error = run(EXAMPLES / name)

    assert error is None, out
    assert "33 rows: 33 ok, 0 refused. All rows were written." in out
    assert Customer.objects.count() == 2
    assert RelatedContract.objects.count() == 6
    assert set(Contract.objects.values_list("service_id", flat=True)) == {
        "cxm2",
        "cloud_proxy",
        "smart_hub",
        "managed_router",
        "isp_platform",
    }
    assert Contract.objects.count() == 11
    assert ContractOption.objects.count() == 15  # 14 option rows + the cold standby of the legacy standard router
    contracts = {c.number: c for c in Contract.objects.all()}
    # agreed fee and computed dates
    assert contracts["CX-0001"].monthly_fee == 55000
    assert contracts["CX-0001"].min_period_end_on == D("2025-02-14")
    assert contracts["CX-0002"].standby_of == contracts["CX-0001"]
    # Cloud Proxy: the parent accepted after its children; G Suite read as Google Workspace
    assert contracts["CP-0001"].status == Status.ACTIVE
    assert contracts["CP-0002"].item_id == "cloud_proxy.template.google_workspace"
    assert "G Suite" not in out and "read as Google Workspace" in line(out, 12 if name.endswith("json") else 13)
    # Smart HUB takes the closed network of its PBB
    assert contracts["SH-0001"].closed_network == "CN-0001"
    # Managed Router cancelled: 45 days' notice (art. 10), its option ended with it
    mr = contracts["MR-0001"]
    assert (mr.status, mr.effective_end_on, mr.terminated_on) == (Status.TERMINATED, D("2025-04-15"), D("2025-04-15"))
    assert mr.options.get().status == Status.TERMINATED
    # Legacy rows keep their minimum-period start, and so do their options (附則 2005-05-01)
    legacy = contracts["MR-0002"]
    assert (legacy.item_id, legacy.legacy_type) == ("managed_router.ll", "router_standard")
    assert (legacy.min_period_start_on, legacy.min_period_end_on) == (D("2004-10-01"), D("2005-09-30"))
    assert sorted(legacy.options.values_list("kind_id", "status", "min_period_start_on", "min_period_end_on")) == [
        ("managed_router.cold_standby", Status.ACTIVE, D("2004-10-01"), D("2005-09-30")),
        ("managed_router.custom_operation", Status.ACTIVE, D("2004-10-01"), D("2005-09-30")),
    ]
    assert contracts["MR-0003"].item_id == "managed_router.dc"
    assert not contracts["MR-0003"].options.exists()
    # ISP bandwidth-limited areas
    assert sorted(BandwidthArea.objects.values_list("contract__number", "area", "mbps")) == [
        ("ISP-0002", "east", 300),
        ("ISP-0002", "west", 200),
    ]
    # a cancelled option
    napt = ContractOption.objects.get(contract__number="CX-0001", kind_id="cxm2.napt")
    assert (napt.status, napt.effective_end_on) == (Status.TERMINATED, D("2025-03-31"))


def test_the_same_file_twice_refuses_every_row_and_writes_nothing_more():
    run(EXAMPLES / "contracts.json")
    before = Contract.history.count()

    out, error = run(EXAMPLES / "contracts.json")

    assert error is not None
    assert "refused: code: Customer with this Customer number already exists." in line(out, 1)
    assert "Nothing was written" in out
    assert Contract.history.count() == before


# --- refusals, all or nothing, partial, dry run ---------------------------------------------------

REFUSED_ISP = {
    "number": "ISP-9",
    "customer": "P1",
    "item": "isp_platform.ipoe",
    "building_type": "detached",
    "line_count": 10,
    **ACCEPTED,
}
INDIVIDUAL = {"code": "P1", "kind": "individual", "name": "個人 花子"}


def test_a_refused_row_names_the_article_and_rolls_back_the_whole_file(tmp_path):
    path = write_json(tmp_path, base(customers=[INDIVIDUAL], contracts=[REFUSED_ISP]))

    out, error = run(path)

    assert error is not None and "1 of 7 rows refused" in str(error)
    assert (
        "refused: customer: ISP Platform is available to corporate customers, and those recognised as equivalent, "
        "only (ISP Platform art. 4)." in line(out, 6)
    )
    assert line(out, 1).endswith("\tok")
    assert "7 rows: 6 ok, 1 refused. Nothing was written" in out
    assert not Customer.objects.exists()
    assert not Contract.objects.exists()
    assert not Contract.history.exists()


def test_partial_keeps_the_ok_rows_and_leaves_no_trace_of_refused_ones(tmp_path):
    # The parent passes its creation and is refused on acceptance: even its creation must not stay.
    parent = {"number": "CP-9", "customer": "K1", "item": "cloud_proxy.parent", "management_unit": "本社", **ACCEPTED}
    child = {"number": "CP-10", "customer": "K1", "item": "cloud_proxy.template.m365", "parent": "CP-9", **ACCEPTED}
    path = write_json(tmp_path, base(customers=[INDIVIDUAL], contracts=[REFUSED_ISP, parent, child]))

    out, error = run(path, "--partial")

    assert error is not None
    assert "Cloud Proxy art. 4" not in line(out, 7) and "(Cloud Proxy art. 6 ¶1)" in line(out, 7)
    assert line(out, 7).startswith("7\tcontract\tCP-9\trefused: acceptance Jan. 10, 2025: ")
    assert "ISP Platform art. 4" in line(out, 6)
    assert "refused: parent: “CP-9” (row 7) was refused." in line(out, 8)
    assert "9 rows: 6 ok, 3 refused. Partial import" in out
    assert set(Contract.objects.values_list("number", flat=True)) == {"CX-1", "SH-1"}
    assert not Contract.history.filter(number__in=["ISP-9", "CP-9", "CP-10"]).exists()
    assert Customer.objects.filter(code="P1").exists()
    assert Contract.objects.get(number="SH-1").status == Status.ACTIVE


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    out, error = run(EXAMPLES / "contracts.json", "--dry-run")

    assert error is None
    assert "33 rows: 33 ok, 0 refused. Dry run: nothing was written." in out
    assert not Customer.objects.exists() and not Customer.history.exists()


def test_dry_run_reports_refusals_with_exit_status_1(tmp_path):
    path = write_json(tmp_path, base(customers=[INDIVIDUAL], contracts=[REFUSED_ISP]))

    out, error = run(path, "--dry-run", "--partial")

    assert error is not None
    assert "Dry run" in out and "ISP Platform art. 4" in out
    assert not Customer.objects.exists()


def test_exit_status_from_the_command_line(tmp_path, monkeypatch):
    # A command closes the database connections as it ends: on PostgreSQL that would close the test's
    # transaction under the second command, which would then be refused for that and not for its rows.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = write_json(tmp_path, BASE, "good.json")
    bad = write_json(tmp_path, base(customers=[INDIVIDUAL], contracts=[REFUSED_ISP]), "bad.json")

    execute_from_command_line(["manage.py", "import_contracts", str(good), "--dry-run"])  # no SystemExit: status 0
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_contracts", str(bad)])
    assert exit_info.value.code == 1


# --- history --------------------------------------------------------------------------------------


def test_history_records_the_user_and_the_file_row(tmp_path, staff):
    path = write_json(tmp_path, BASE, "april.json")

    out, error = run(path, "--user", "staff")

    assert error is None, out
    records = Contract.history.filter(number="SH-1").order_by("history_id")
    assert [r.status for r in records] == [Status.APPLIED, Status.ACCEPTED, Status.ACTIVE]
    assert {r.history_user for r in records} == {staff}
    assert records[0].history_change_reason == "import april.json:4"
    assert records[1].history_change_reason.startswith("import april.json:4 (")
    option_record = ContractOption.history.filter(contract_id=records[0].id).earliest("history_id")
    assert option_record.history_change_reason == "import april.json:5"
    assert Customer.history.get().history_user == staff


def test_without_user_history_has_no_user_and_unknown_user_is_refused(tmp_path):
    path = write_json(tmp_path, BASE)

    run(path)
    assert not Contract.history.filter(history_user__isnull=False).exists()
    assert Contract.history.filter(history_change_reason__startswith="import batch.json:").count() == 6

    with pytest.raises(CommandError, match="No user named “ghost”"):
        call_command("import_contracts", str(path), "--user", "ghost", stdout=StringIO())


# --- CSV, legacy mappings, areas, references ------------------------------------------------------


def test_csv_with_areas_and_g_suite_by_name(tmp_path):
    rows = [
        {"record": "customer", "code": "K1", "kind": "corporate", "name": "株式会社テスト"},
        {"record": "related", "reference": "PBB-1", "customer": "K1", "kind": "pbb", "started_on": "2020-01-01",
         "closed_network": "CN-1"},
        {"record": "contract", "number": "ISP-1", "customer": "K1", "item": "isp_platform.ipoe_limited",
         "building_type": "apartment", "areas": "east:300;west:200", **ACCEPTED},
        {"record": "contract", "number": "CP-1", "customer": "K1", "item": "cloud_proxy.parent",
         "management_unit": "本社", **ACCEPTED},
        {"record": "contract", "number": "CP-2", "customer": "K1", "item": "G Suite", "parent": "CP-1", **ACCEPTED},
        {"record": "contract", "number": "CP-3", "customer": "K1", "item": "cloud_proxy.external", "parent": "CP-1",
         **ACCEPTED},
        {"record": "option", "contract": "ISP-1", "kind": "isp_platform.ipv4_fixed_ip", **ACCEPTED},
    ]  # fmt: skip
    out, error = run(write_csv(tmp_path, rows))

    assert error is None, out
    assert line(out, 2) == "2\tcustomer\tK1\tok"
    isp = Contract.objects.get(number="ISP-1")
    assert dict(isp.bandwidth_areas.values_list("area", "mbps")) == {"east": 300, "west": 200}
    assert isp.status == Status.ACTIVE
    assert Contract.objects.get(number="CP-2").item_id == "cloud_proxy.template.google_workspace"
    assert Contract.objects.get(number="CP-1").status == Status.ACTIVE


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ("east:250", "units of 100 Mbps (ISP Platform art. 1)"),
        ("", "at least one area (ISP Platform art. 1)"),
        ("east", "area:Mbps"),
    ],
)
def test_bandwidth_limited_areas_are_checked(tmp_path, areas, message):
    contract = {"number": "ISP-1", "customer": "K1", "item": "isp_platform.ipoe_limited",
                "building_type": "apartment", "areas": areas, **ACCEPTED}  # fmt: skip
    out, error = run(write_json(tmp_path, base(contracts=[contract])))

    assert error is not None
    assert message in line(out, 5)


def test_legacy_router_types_map_to_item_and_options(tmp_path):
    related = [
        {"reference": f"NET-{n}", "customer": "K1", "kind": "connectivity", "started_on": "2001-01-01"} for n in (1, 2)
    ] + [{"reference": f"DC-{n}", "customer": "K1", "kind": "data_center", "started_on": "2001-01-01"} for n in (1, 2)]
    legacy = {"applied_on": "2005-05-01", "accepted_on": "2005-05-01", "billing_start_on": "2005-05-01"}
    contracts = [
        {"number": "L1", "customer": "K1", "legacy_type": "router_standard", "related_contract": "NET-1",
         "min_period_start_on": "2004-12-31", **legacy},
        {"number": "L2", "customer": "K1", "legacy_type": "router_single", "related_contract": "NET-2", **legacy},
        {"number": "L3", "customer": "K1", "legacy_type": "dc_router_standard", "related_contract": "DC-1", **legacy},
        {"number": "L4", "customer": "K1", "legacy_type": "dc_router_single", "related_contract": "DC-2", **legacy},
    ]  # fmt: skip
    out, error = run(write_json(tmp_path, base(related_contracts=related, contracts=contracts)))

    assert error is None, out
    got = {
        c.number: (c.item_id, list(c.options.values_list("kind_id", flat=True)))
        for c in Contract.objects.filter(number__startswith="L")
    }
    assert got == {
        "L1": ("managed_router.ll", ["managed_router.cold_standby"]),
        "L2": ("managed_router.ll", []),
        "L3": ("managed_router.dc", []),
        "L4": ("managed_router.dc", []),
    }
    l1 = Contract.objects.get(number="L1")
    assert (l1.min_period_start_on, l1.min_period_end_on) == (D("2004-12-31"), D("2005-12-30"))
    assert l1.options.get().min_period_end_on == D("2005-12-30")
    l2 = Contract.objects.get(number="L2")
    assert l2.min_period_start_on == D("2005-05-01")  # no legacy start given: the billing start


def test_a_legacy_row_with_another_item_is_refused_by_the_rule(tmp_path):
    related = [{"reference": "NET-1", "customer": "K1", "kind": "connectivity", "started_on": "2001-01-01"}]
    contract = {"number": "L1", "customer": "K1", "legacy_type": "dc_router_single", "item": "managed_router.ll",
                "related_contract": "NET-1", "applied_on": "2005-05-01"}  # fmt: skip
    out, error = run(write_json(tmp_path, base(related_contracts=related, contracts=[contract])))

    assert error is not None
    assert "supplementary provisions 2005-05-01" in line(out, 6)


def test_managed_router_options_added_or_stopped_later_carry_the_change_fee(tmp_path):
    """Managed Router art. 6 ¶1 (2), annex 1 3.(1): as through the services and the admin, 5,000 yen each."""
    related = [{"reference": "NET-1", "customer": "K1", "kind": "connectivity", "started_on": "2001-01-01"}]
    contract = {
        "number": "MR-1",
        "customer": "K1",
        "item": "managed_router.ll",
        "related_contract": "NET-1",
        **ACCEPTED,
    }
    options = [
        {"contract": "MR-1", "kind": "managed_router.cold_standby", **ACCEPTED},  # with the contract: no change
        {"contract": "MR-1", "kind": "managed_router.managed_switch", "applied_on": "2025-03-02",
         "accepted_on": "2025-03-05", "billing_start_on": "2025-03-10"},  # added
        {"contract": "MR-1", "kind": "managed_router.multihome", **ACCEPTED, "notice_received_on": "2025-06-01",
         "terminated_on": "2025-07-01"},  # stopped
    ]  # fmt: skip
    out, error = run(write_json(tmp_path, base(related_contracts=related, contracts=[contract], options=options)))

    assert error is None, out
    changes = ContractChange.objects.filter(contract__number="MR-1").order_by("accepted_on")
    assert [(c.option.kind_id, c.accepted_on, c.fee) for c in changes] == [
        ("managed_router.managed_switch", D("2025-03-05"), 5_000),
        ("managed_router.multihome", D("2025-07-01"), 5_000),
    ]


def test_min_period_start_is_kept_only_for_legacy_rows(tmp_path):
    contract = {**BASE["contracts"][0], "number": "CX-2", "min_period_start_on": "2024-01-01"}
    out, error = run(write_json(tmp_path, base(contracts=[contract])))

    assert error is not None
    assert "min_period_start_on: only a legacy managed router contract keeps" in line(out, 5)


def test_rows_may_refer_to_customers_and_contracts_already_in_the_database(tmp_path):
    customer = factories.customer(code="OLD1")
    active = factories.activate(factories.contract("cxm2", customer, number="OLD-CX"))
    standby = {"number": "SB-1", "customer": "OLD1", "item": "cxm2.100m", "application_type": "standby",
               "standby_of": "OLD-CX", "route": "microsoft", "region": "osaka", **ACCEPTED}  # fmt: skip
    out, error = run(write_json(tmp_path, {"contracts": [standby]}))

    assert error is None, out
    assert Contract.objects.get(number="SB-1").standby_of == active


def test_a_standby_needs_a_live_active(tmp_path):
    standby = {"number": "SB-1", "customer": "K1", "item": "cxm2.100m", "application_type": "standby",
               "standby_of": "CX-1", "route": "microsoft", "region": "osaka", "applied_on": "2025-01-07"}  # fmt: skip
    out, error = run(write_json(tmp_path, base(contracts=[standby])))

    assert error is not None
    assert "(CXM2 art. 5)" in line(out, 5)


def test_a_smart_hub_without_a_port_is_refused_at_billing_start(tmp_path):
    doc = base()
    doc["options"] = []
    out, error = run(write_json(tmp_path, doc), "--partial")

    assert error is not None
    assert line(out, 4).startswith("4\tcontract\tSH-1\trefused: billing start Feb. 1, 2025: ")
    assert "(Smart HUB art. 4 ¶1)" in line(out, 4)
    assert not Contract.objects.filter(number="SH-1").exists()


def test_a_related_contract_that_ended_ends_what_depends_on_it(tmp_path):
    doc = base()
    doc["related_contracts"][0]["ended_on"] = "2025-06-30"
    out, error = run(write_json(tmp_path, doc))

    assert error is None, out
    smart_hub = Contract.objects.get(number="SH-1")
    assert (smart_hub.status, smart_hub.terminated_on, smart_hub.termination_reason) == (
        Status.TERMINATED,
        D("2025-06-30"),
        TerminationReason.CASCADE,
    )
    assert RelatedContract.objects.get().ended_on == D("2025-06-30")


def test_cancellation_without_notice_is_refused_by_the_lifecycle(tmp_path):
    doc = base()
    doc["contracts"][0]["terminated_on"] = "2025-03-31"
    out, error = run(write_json(tmp_path, doc))

    assert error is not None
    assert "termination March 31, 2025: A customer-requested end needs a cancellation notice first." in line(out, 3)


# --- malformed files and rows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", "{not json", "not valid JSON"),
        ("x.json", "[]", "must be a JSON object"),
        ("x.json", '{"contracts": {}}', "“contracts” must be a list of objects"),
        ("x.json", '{"clients": []}', "unknown sections: clients"),
        ("x.csv", "code,name\nK1,x\n", "no “record” column"),
        ("x.csv", "record,code,colour\ncustomer,K1,red\n", "unknown columns: colour"),
        ("x.csv", "record,code\ncustomer,K1,extra\n", "row 2 has more cells than the header"),
        ("x.txt", "hello", "must end in .csv or .json"),
        ("x.csv", b"record,code\ncustomer,\xff\n", "is not UTF-8"),
        ("x.csv", "record,code,name\ncustomer,K1,株式会社テスト\n".encode("cp932"), "Shift_JIS .+ “CSV UTF-8"),
    ],
)
def test_a_malformed_file_is_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    with pytest.raises(CommandError, match=message):
        call_command("import_contracts", str(path), stdout=StringIO())


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_contracts", str(tmp_path / "none.json"), stdout=StringIO())


def test_bad_rows_are_refused_one_by_one(tmp_path):
    rows = [
        {"record": "customer", "code": "K1", "kind": "corporate", "name": "株式会社テスト"},
        {"record": "customer", "code": "K1", "kind": "corporate", "name": "重複"},
        {"record": "supplier", "code": "S1"},
        {"record": "contract", "number": "C1", "customer": "K1", "item": "cxm2.100m", "applied_on": "2025-13-01"},
        {"record": "contract", "number": "C2", "customer": "K1", "item": "no.such.item", "applied_on": "2025-01-06"},
        {"record": "contract", "number": "C3", "customer": "K9", "item": "cxm2.100m", "applied_on": "2025-01-06"},
        {"record": "contract", "number": "C4", "customer": "K1", "applied_on": "2025-01-06",
         "billing_start_on": "2025-01-10", "line_count": "ten"},
        {"record": "option", "contract": "C1", "kind": "cxm2.napt", "applied_on": "2025-01-06", "code": "K1",
         "termination_reason": "abolition"},
        {"record": "contract", "number": "C5", "customer": "K1", "item": "cxm2.100m", "applied_on": "2025-01-06",
         "accepted_on": "2025-01-10", "termination_reason": "bored"},
        {"record": "contract", "number": "C6", "customer": "K1", "item": "cxm2.100m", "applied_on": "2025-01-06",
         "accepted_on": "2025-01-05", "billing_start_on": "2025-02-01", "notice_received_on": "2025-01-20"},
    ]  # fmt: skip
    out, error = run(write_csv(tmp_path, rows))

    assert error is not None
    assert "refused: duplicate of row 2." in line(out, 3)
    assert "Unknown record type “supplier”" in line(out, 4)
    assert "applied_on: “2025-13-01” is not a date (YYYY-MM-DD or YYYY/MM/DD)." in line(out, 5)
    assert "item: unknown item code “no.such.item”." in line(out, 6)
    assert "customer: “K9” is not in the file or the database." in line(out, 7)
    assert "line_count: “ten” is not a whole number." in line(out, 8)
    assert "billing_start_on needs accepted_on." in line(out, 8)
    assert "code: not a column for option rows." in line(out, 9)
    assert "termination_reason needs terminated_on." in line(out, 9)
    assert "“bored” is not a termination reason" in line(out, 10)
    assert "accepted_on cannot be before applied_on. notice_received_on cannot be before billing_start_on." in line(
        out, 11
    )
    assert "10 rows: 1 ok, 9 refused." in out
    assert not Customer.objects.exists()


def test_json_record_with_an_unknown_key_is_refused(tmp_path):
    doc = base()
    doc["customers"][0]["colour"] = "red"
    out, error = run(write_json(tmp_path, doc))

    assert error is not None
    assert "colour: not a column for customer rows." in line(out, 1)


# --- changes and withdrawals ----------------------------------------------------------------------


def test_change_rows_go_through_the_change_service_with_their_fee(tmp_path):
    changes = [
        {"contract": "CX-1", "accepted_on": "2025-03-03", "item": "cxm2.500m", "note": "増速"},
        {"contract": "SH-1", "option": "smart_hub.cloud_port", "accepted_on": "2025-03-03", "interface": "1g"},
        {"contract": "CX-1", "accepted_on": "2025-03-04"},
    ]
    out, error = run(write_json(tmp_path, base(changes=changes)))

    assert line(out, 6) == "6\tchange\tCX-1\tok"
    assert line(out, 7).endswith(
        "refused: change March 3, 2025: option: SH-1 has no single live option “smart_hub.cloud_port”."
    )
    assert line(out, 8) == "8\tchange\tCX-1\trefused: A change row needs a new value or equipment."

    out, error = run(write_json(tmp_path, base(changes=changes[:1])))

    assert error is None, out
    contract = Contract.objects.get(number="CX-1")
    change = contract.changes.get()
    assert (contract.item_id, change.accepted_on, change.note) == ("cxm2.500m", D("2025-03-03"), "増速")
    assert change.fee == contract.item.change_fee > 0
    assert Contract.history.filter(history_change_reason__startswith="import batch.json:6 (Change accepted").exists()


def test_withdrawn_on_withdraws_the_application(tmp_path):
    applied = {"number": "CX-9", "customer": "K1", "item": "cxm2.100m", "application_type": "active",
               "route": "office365", "region": "osaka", "applied_on": "2025-01-06"}  # fmt: skip
    early = {**applied, "number": "CX-8", "withdrawn_on": "2025-01-05"}
    accepted = {**applied, "number": "CX-7", "accepted_on": "2025-01-07", "withdrawn_on": "2025-01-08"}
    out, error = run(write_json(tmp_path, base(contracts=[{**applied, "withdrawn_on": "2025-01-20"}, early, accepted])))

    assert "withdrawn_on cannot be before applied_on." in line(out, 6)
    assert line(out, 7).startswith("7\tcontract\tCX-7\trefused: withdrawal Jan. 8, 2025: ")
    out, error = run(write_json(tmp_path, base(contracts=[{**applied, "withdrawn_on": "2025-01-20"}])))

    assert error is None, out
    assert Contract.objects.get(number="CX-9").status == Status.WITHDRAWN


def test_import_rows_can_date_the_history_on_the_days_of_the_story(staff):
    rows = [RawRow(number, kind, values) for number, (kind, values) in enumerate(BASE_ROWS, start=1)]

    report = import_rows(rows, label="story", user=staff, dated_history=True)

    assert report.refused_count == 0 and report.written
    records = list(Contract.history.filter(number="SH-1").order_by("history_date"))
    assert [timezone.localdate(r.history_date) for r in records] == [D("2025-01-06"), D("2025-01-10"), D("2025-02-01")]
    assert [r.prev_record for r in records] == [None, records[0], records[1]]  # a distinct time each
    assert timezone.localdate(Customer.history.get().history_date) == D("2025-01-06")  # with the first step
    assert records[0].history_change_reason == "story:4" and records[0].history_user == staff


BASE_ROWS = [
    (kind, values)
    for section, kind in (("customers", "customer"), ("related_contracts", "related"), ("contracts", "contract"),
                          ("options", "option"))
    for values in BASE[section]
]  # fmt: skip
# --- dates: the accepted range and the Japanese ways of typing them ---------------------------------


def test_legacy_no_end_date_markers_are_refused_row_by_row(tmp_path):
    """9999-12-31 stands for "no end date" in legacy files: each such row is refused, nothing crashes."""
    doc = base(
        related_contracts=[
            {"reference": "NET-1", "customer": "K1", "kind": "connectivity", "started_on": "2019-01-01",
             "ended_on": "9999-12-31"},
        ],
        contracts=[
            {"number": "CX-2", "customer": "K1", "item": "cxm2.100m", "application_type": "active",
             "route": "office365", "region": "osaka", **ACCEPTED, "notice_received_on": "9999-12-31"},
            {"number": "CX-3", "customer": "K1", "item": "cxm2.100m", "application_type": "active",
             "route": "office365", "region": "osaka", "applied_on": "0001-01-01"},
        ],
    )  # fmt: skip
    out, error = run(write_json(tmp_path, doc), "--partial")

    assert error is not None
    outside = "is outside the dates the product accepts (1900-01-01 to 2099-12-31)."
    assert f"ended_on: 9999-12-31 {outside}" in line(out, 3)
    assert f"notice_received_on: 9999-12-31 {outside}" in line(out, 6)
    assert f"applied_on: 0001-01-01 {outside}" in line(out, 7)
    assert "8 rows: 5 ok, 3 refused." in out
    assert set(Contract.objects.values_list("number", flat=True)) == {"CX-1", "SH-1"}


def test_dates_typed_the_japanese_way_are_read(tmp_path):
    doc = base()
    doc["contracts"][0].update(applied_on="2025/01/06", accepted_on="２０２５／０１／１０", billing_start_on="2025/2/1")
    out, error = run(write_json(tmp_path, doc))

    assert error is None, out
    contract = Contract.objects.get(number="CX-1")
    assert (contract.applied_on, contract.accepted_on, contract.billing_start_on) == (
        D("2025-01-06"),
        D("2025-01-10"),
        D("2025-02-01"),
    )


# --- what the import reads per file ---------------------------------------------------------------


def customers_with_contracts(first: int, count: int) -> list[RawRow]:
    """Five rows a customer: the customer, its PBB, a Smart HUB on it with a port, a CXM2, all billed."""
    rows = []
    for i in range(first, first + count):
        code, pbb, hub = f"Q{i}", f"PBB-Q{i}", f"SH-Q{i}"
        rows += [
            RawRow(0, "customer", {"code": code, "kind": "corporate", "name": f"顧客{i}"}),
            RawRow(
                0,
                "related",
                {
                    "reference": pbb,
                    "customer": code,
                    "kind": "pbb",
                    "started_on": "2020-01-01",
                    "closed_network": f"CN-Q{i}",
                },
            ),
            RawRow(
                0,
                "contract",
                {"number": hub, "customer": code, "item": "smart_hub.base", "related_contract": pbb, **ACCEPTED},
            ),
            RawRow(
                0,
                "option",
                {"contract": hub, "kind": "smart_hub.onprem_port", "port_line": "fiber", "interface": "1g", **ACCEPTED},
            ),
            RawRow(
                0,
                "contract",
                {
                    "number": f"CX-Q{i}",
                    "customer": code,
                    "item": "cxm2.100m",
                    "application_type": "active",
                    "route": "microsoft",
                    "region": "tokyo",
                    **ACCEPTED,
                },
            ),
        ]
    for number, row in enumerate(rows, start=1):
        row.number = number
    return rows


def import_queries(rows: list[RawRow]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        report = import_rows(rows, label="test")
    assert report.written and not report.refused, report.lines()
    return [query["sql"] for query in captured]


#: A read of whole rows (``SELECT "table"."id", …``): the catalog, customers, contracts the rows name.
WHOLE_ROWS = re.compile(r'^SELECT "\w+"\."(id|name_ja)", ')


def test_the_catalog_and_the_named_rows_are_read_once_per_file():
    """What the rows refer to (the catalog, customers, contracts, related contracts) is read once per file.

    The queries that remain grow with the rows: each step of a row goes through its service and
    ``full_clean`` (the rules' own reads and the write; the history is written together at the end);
    20 rows more may cost at most 4 queries a row (measured 3.6; 35 before the per-file reads, 17.8
    before the import left the foreign-key and unique checks, the saved row and the moves' savepoints to
    what it holds, 5.8 before it wrote the history together, 2026-12).
    """
    small = import_queries(customers_with_contracts(0, 4))
    large = import_queries(customers_with_contracts(4, 8))
    whole_rows = [len([sql for sql in queries if WHOLE_ROWS.match(sql)]) for queries in (small, large)]
    assert whole_rows[1] == whole_rows[0]
    assert len(large) - len(small) <= 4 * 20


#: ``full_clean``'s check that a related row exists: one ``SELECT 1`` by its key alone.
EXISTS_BY_KEY = re.compile(r'^SELECT 1 AS "a" FROM "(\w+)" WHERE "\1"\."(id|code)" = \S+ LIMIT 1$')


def test_the_related_rows_the_import_holds_are_not_read_again_by_full_clean():
    """The import hands ``full_clean`` related rows it read or wrote in its transaction; outside the
    import a related row is read again, even one the object holds (it may be gone since)."""
    queries = import_queries(customers_with_contracts(0, 2))
    checked = [found[1] for sql in queries if (found := EXISTS_BY_KEY.match(sql))]
    assert set(checked) == {"customers_customer"}  # a related contract's customer, a customer's unique code

    contract = factories.contract("cxm2", application_type="active", route="microsoft", region="tokyo")
    contract.customer = Customer(pk=contract.customer_id + 100, code="GONE")
    contract.customer._state.adding = False  # as if read, then deleted
    with pytest.raises(ValidationError) as refused:
        contract.full_clean()
    assert "customer" in refused.value.message_dict


def test_a_number_taken_after_the_file_was_read_is_refused_by_the_database_in_the_same_words(monkeypatch):
    """The import reads once per file which of its contract numbers are taken, and asks again of none
    other: a number taken since (a race) is refused by the database, with the same message on the same row."""
    taken_before = factories.contract("cxm2", number="CX-Q1")
    before = import_rows(customers_with_contracts(0, 2), label="test", partial=True, dry_run=True).refused
    Contract.objects.filter(pk=taken_before.pk).update(number="CX-OTHER")

    class TakenMeanwhile(runner.Preloaded):
        def __init__(self, rows):
            super().__init__(rows)
            factories.contract("cxm2", number="CX-Q1")

    monkeypatch.setattr(runner, "Preloaded", TakenMeanwhile)
    with CaptureQueriesContext(connection) as captured:
        after = import_rows(customers_with_contracts(0, 2), label="test", partial=True, dry_run=True).refused
    assert after == before == {10: "number: Contract with this Contract number already exists."}
    checks = [q["sql"] for q in captured if q["sql"].startswith('SELECT 1 AS "a" FROM "contracts_contract"')]
    assert not [sql for sql in checks if '"contracts_contract"."number" = ' in sql]


def test_a_write_the_database_refuses_after_the_rules_refuses_only_its_row(monkeypatch):
    """A created row is written without a savepoint of its own: should the database refuse the write (a
    race the rules could not see), the file is played again without that row, on every database."""
    save = Customer.save

    def refused_by_the_database(customer, *args, **kwargs):
        if customer.code == "Q1":
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")
        return save(customer, *args, **kwargs)

    monkeypatch.setattr(Customer, "save", refused_by_the_database)
    report = import_rows(customers_with_contracts(0, 2), label="test", partial=True)
    assert list(report.refused) == [6, 7, 8, 9, 10]
    assert report.refused[6].startswith("refused by the database: ")
    assert report.refused[7] == "customer: “Q1” (row 6) was refused."
    assert report.written
    assert set(Contract.objects.values_list("number", flat=True)) == {"SH-Q0", "CX-Q0"}


def test_a_move_the_database_refuses_refuses_only_its_row(monkeypatch):
    """A lifecycle move under the import writes its row without a savepoint, as a create does: should the
    database refuse it, its row is refused with the step named, and the file played again without it."""
    save = Contract.save

    def refused_by_the_database(contract, *args, **kwargs):
        if contract.number == "CX-Q1" and contract.status == Status.ACCEPTED:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")
        return save(contract, *args, **kwargs)

    monkeypatch.setattr(Contract, "save", refused_by_the_database)
    with CaptureQueriesContext(connection) as captured:
        report = import_rows(customers_with_contracts(0, 2), label="test", partial=True)
    assert list(report.refused) == [10]
    assert report.refused[10].startswith("acceptance Jan. 10, 2025: refused by the database: ")
    assert report.written
    assert Contract.objects.filter(number="CX-Q1").count() == 0
    assert len([query for query in captured if query["sql"].startswith("SAVEPOINT")]) <= 2  # one a pass


def test_an_item_change_row_brings_the_new_items_price_or_the_one_agreed_with_it(tmp_path):
    """CXM2 別紙2 2.(1): the monthly fee follows the item from the day the change is accepted."""
    from billing.models import InvoiceLine
    from tests.billing.helpers import bill

    changes = [{"contract": "CX-1", "accepted_on": "2025-03-15", "item": "cxm2.1g"}]
    out, error = run(write_json(tmp_path, base(changes=changes)))
    assert error is None, out
    contract = Contract.objects.get(number="CX-1")
    march = bill(2025, 3)
    amounts = dict(InvoiceLine.objects.filter(month=march, contract=contract).values_list("source_key", "amount"))
    assert amounts[f"contract:{contract.pk}:monthly:2025-03:15"] == 250_000 * 17 // 31

    agreed = [{"contract": "CX-1", "accepted_on": "2025-04-01", "item": "cxm2.500m", "monthly_fee": "140000"}]
    out, error = run(write_json(tmp_path, {"changes": agreed}, name="agreed.json"))
    assert error is None, out
    assert contract.dated_prices.get(valid_from=D("2025-04-01")).monthly_fee == 140_000

    alone = [{"contract": "CX-1", "accepted_on": "2025-04-02", "equipment": "", "monthly_fee": "1"}]
    out, error = run(write_json(tmp_path, {"changes": alone}, name="alone.json"))
    assert "needs a new value or equipment" in out

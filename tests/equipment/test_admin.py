"""The equipment admin: the unit page tells the whole story, worklists on the index, the import page,
actions that confirm first, the units on contract pages and the customer timeline, constant query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backoffice import worklists
from equipment.choices import ChargeState, IncidentKind, UnitState
from equipment.models import Unit
from equipment.services import charges, incidents, units
from jobs.models import Job, JobState
from tests.admin.conftest import change_url, changelist_url, messages_of, run_action

from . import factories as ef
from .conftest import installed

pytestmark = pytest.mark.django_db
D = date


def test_the_unit_page_shows_every_move_the_incidents_and_the_charges(
    staff_client, make_unit, router_contract, logistics, approver
):
    unit = installed(make_unit(), contract=router_contract, by=logistics)
    incident = incidents.report_loss_or_damage(unit, IncidentKind.LOSS, on=D(2025, 3, 1), by=logistics)
    charge = charges.assess(incident, on=D(2025, 3, 2), by=logistics)
    charges.approve(charge, on=D(2025, 3, 3), by=approver)

    page = staff_client.get(change_url(unit)).content.decode()
    for text in ("In stock", "Assigned to a contract", "Shipped", "Installed", "Lost", "1234-5678", "logi"):
        assert text in page, text
    assert router_contract.number in page
    assert "Loss charge 80,000 yen (Approved, not yet invoiced)" in page
    assert "14 days after the option stops" not in page  # the ISP period is not a Managed Router unit's


def test_the_contract_page_lists_its_units_and_the_timeline_their_moves(staff_client, make_unit, router_contract):
    unit = installed(make_unit(), contract=router_contract)
    assert unit.serial in staff_client.get(change_url(router_contract)).content.decode()
    timeline = reverse("admin:customers_customer_timeline", args=[router_contract.customer_id])
    page = staff_client.get(timeline).content.decode()
    assert "Unit: Installed" in page and unit.serial in page


def test_worklists_on_the_index_count_what_waits(staff_client, make_unit, router_contract, logistics, staff, english):
    installed(make_unit(), contract=router_contract)
    units.assign(make_unit(), on=D(2025, 2, 1), contract=router_contract)
    units.assign(make_unit(), on=D(2025, 2, 1), contract=router_contract)
    late = installed(make_unit(), contract=router_contract)
    units.request_return(late, on=D(2025, 3, 1), deadline=D(2025, 3, 2))
    incidents.flag_overdue(late, today=D(2025, 3, 3))

    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Units to ship" in page and "Charges awaiting approval" in page
    links = {link.label: link.count for _group, group_links in worklists.visible(staff) for link in group_links}
    assert links["Units to ship"] == 2
    assert links["Overdue returns"] == 1
    assert links["Overdue returns to follow up"] == 1  # asked back on a live contract: not deemed lost
    assert links["Incidents to assess"] == 0
    assert links["Charges awaiting approval"] == 0
    to_ship = staff_client.get(changelist_url(Unit) + "?worklist=to_ship")
    assert to_ship.context["cl"].result_count == 2


def test_a_unit_added_in_the_admin_is_received_into_stock(staff_client, unit_model, staff):
    data = {"serial": "ＮＥＷ-1", "unit_model": unit_model.pk, "acquired_on": "2025/04/01", "acquisition_cost": "50000"}
    response = staff_client.post(reverse("admin:equipment_unit_add"), data)
    assert response.status_code == 302
    unit = Unit.objects.get(serial="NEW-1")
    assert unit.status == UnitState.IN_STOCK
    assert unit.events.get().by == staff


def test_the_import_page_checks_the_file_then_a_job_imports_it(staff_client, unit_model, worked_off, staff):
    url = reverse("admin:equipment_unit_import")
    assert staff_client.get(url).status_code == 200
    assert url in staff_client.get(changelist_url(Unit)).content.decode()  # the list links to it

    def post(dry_run):
        upload = SimpleUploadedFile("batch.csv", "serial\nP-1\nP-2\n".encode("utf-8-sig"))
        data = {"file": upload, "unit_model": unit_model.pk, "acquired_on": "2025-04-01", "cost": "50000"}
        with worked_off():
            response = staff_client.post(url, {**data, **({"dry_run": "on"} if dry_run else {})})
        job = Job.objects.latest("pk")
        assert response.status_code == 302 and response.url == reverse("admin:jobs_job_change", args=[job.pk])
        assert (job.state, job.started_by, job.upload.name) == (JobState.DONE, staff, "batch.csv")
        return job

    assert "2 rows: 2 ok, 0 refused. Dry run" in post(dry_run=True).result
    assert not Unit.objects.exists()
    post(dry_run=False)
    assert Unit.objects.count() == 2
    again = post(dry_run=False)
    assert "Nothing was written" in again.result and "P-1" in again.result
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad")
    page = staff_client.post(url, {"file": binary, "unit_model": unit_model.pk, "acquired_on": "2025-04-01", "cost": 1})
    assert page.status_code == 200 and "not UTF-8" in page.content.decode()
    assert Job.objects.count() == 3  # a file refused as a whole starts no job


def test_actions_confirm_first_then_move_each_unit_and_report_refusals(staff_client, make_unit, router_contract):
    first, second = make_unit(), make_unit()
    form = staff_client.post(
        changelist_url(Unit),
        {"action": "assign", "_selected_action": [first.pk], "_step": "form", "on": "2025-02-01",
         "contract": router_contract.pk},
    )  # fmt: skip
    assert form.status_code == 200 and form.context["confirm"]
    first.refresh_from_db()
    assert first.status == UnitState.IN_STOCK  # nothing before the confirmation

    run_action(staff_client, Unit, "assign", [first, second], on=D(2025, 2, 1), contract=router_contract.pk)
    run_action(staff_client, Unit, "ship", [first], on=D(2025, 2, 2), carrier="Yamato", tracking_number="1-2")
    response = run_action(staff_client, Unit, "install", [first, second], on=D(2025, 2, 3))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (UnitState.INSTALLED, UnitState.ASSIGNED)
    assert any("cannot move from" in message for message in messages_of(response))


def test_an_action_dates_its_move_today_unless_told_and_asks_a_deadline_with_none(staff_client, make_unit):
    unit = make_unit()
    for action, empty in (("ship", ()), ("request_return", ("deadline",)), ("report_loss", ())):
        page = staff_client.post(changelist_url(Unit), {"action": action, "_selected_action": [unit.pk]})
        form = page.context["form"]
        assert form["on"].value() == timezone.localdate(), action
        assert all(form[name].value() is None for name in empty), action


def test_approval_through_the_admin_by_an_approver_not_the_assessor(client, login_as_role, logistics):
    charge = ef.assessed_charge()
    approver_client = login_as_role("approver")
    run_action(approver_client, type(charge), "approve", [charge], on=D(2025, 3, 5), note="ok")
    charge.refresh_from_db()
    assert charge.status == ChargeState.APPROVED


@pytest.mark.parametrize("model_name", ["unit", "incident", "charge"])
def test_lists_cost_the_same_queries_for_5_and_50_rows(staff_client, django_assert_max_num_queries, model_name):
    contract = ef.router_contract()  # the rows' units are installed under one contract: a contract each is slow
    make = {"unit": ef.unit, "incident": lambda: ef.loss(contract), "charge": lambda: ef.assessed_charge(contract)}[
        model_name
    ]
    url = reverse(f"admin:equipment_{model_name}_changelist")
    for _ in range(5):
        make()
    with django_assert_max_num_queries(12) as five:
        assert staff_client.get(url).status_code == 200
    for _ in range(45):
        make()
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert staff_client.get(url).status_code == 200


def test_router_rental_options_whose_units_differ_from_their_count_are_listed(staff_client, make_unit, rental_option):
    url = reverse("admin:equipment_unit_rental_mismatches")
    installed(make_unit(), option=rental_option)
    page = staff_client.get(url)
    assert [(o.pk, o.units, o.in_use) for o in page.context["options"]] == [(rental_option.pk, 2, 1)]
    installed(make_unit(), option=rental_option)
    assert list(staff_client.get(url).context["options"]) == []


def test_terminating_a_managed_router_contract_in_the_admin_asks_its_units_back(
    staff_client, make_unit, router_contract, django_capture_on_commit_callbacks
):
    unit = installed(make_unit(), contract=router_contract)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(
            staff_client, type(router_contract), "terminate", [router_contract], on=D(2025, 5, 31), reason="gt_art28_2"
        )
    unit.refresh_from_db()
    assert (unit.status, unit.return_deadline) == (UnitState.RETURN_REQUESTED, D(2025, 6, 30))

"""The equipment worklists on the admin index: each role sees what waits for it, with a count."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from . import queries, selectors

GROUP = _("Rented equipment")


def _unit_list(name: str) -> Worklist:
    label, _condition = selectors.UNIT_WORKLISTS[name]
    return Worklist(
        GROUP,
        label,
        "admin:equipment_unit_changelist",
        "equipment.move_unit",
        query=f"worklist={name}",
        count=lambda: queries.units_in(name).count(),
    )


WORKLISTS = [
    *(_unit_list(name) for name in selectors.UNIT_WORKLISTS),
    Worklist(
        GROUP,
        _("Router rental unit counts to match"),
        "admin:equipment_unit_rental_mismatches",
        "equipment.move_unit",
        count=lambda: queries.rental_mismatches().count(),
    ),
    Worklist(
        GROUP,
        _("Overdue returns to follow up"),
        "admin:equipment_incident_changelist",
        "equipment.investigate_incident",
        query="worklist=to_follow_up",
        count=lambda: queries.to_follow_up().count(),
    ),
    Worklist(
        GROUP,
        _("Incidents to assess"),
        "admin:equipment_incident_changelist",
        "equipment.assess_incident",
        query="worklist=to_assess",
        count=lambda: queries.to_assess().count(),
    ),
    Worklist(
        GROUP,
        _("Charges awaiting approval"),
        "admin:equipment_charge_changelist",
        "equipment.approve_charge",
        query="status__exact=assessed",
        count=lambda: queries.awaiting_approval().count(),
    ),
]

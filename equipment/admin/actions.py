"""The confirm-then-act actions of units, incidents and charges; each calls one service function."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.display import date_text, yen

from ..services import charges, incidents, units
from . import forms


def _assign(unit, data, user):
    units.assign(unit, on=data["on"], by=user, contract=data["contract"], option=data["option"], note=data["note"])


def _ship(unit, data, user):
    units.ship(
        unit,
        on=data["on"],
        by=user,
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        note=data["note"],
    )


def _install(unit, data, user):
    units.install(unit, on=data["on"], by=user, change_fee=data["change_fee"], note=data["note"])


def _request_return(unit, data, user):
    units.request_return(unit, on=data["on"], deadline=data["deadline"], by=user, note=data["note"])
    return _("return by %(date)s") % {"date": date_text(data["deadline"])}


def _receive_return(unit, data, user):
    incident = incidents.receive_return(
        unit,
        condition=data["condition"],
        on=data["on"],
        by=user,
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        note=data["note"],
    )
    return str(incident) if incident else None


def _simple(move):
    def perform(unit, data, user):
        move(unit, on=data["on"], by=user, note=data["note"])

    return perform


def _report_failure(unit, data, user):
    incidents.report_failure(unit, on=data["on"], by=user, note=data["note"])


def _report_loss(unit, data, user):
    incidents.report_loss_or_damage(unit, data["kind"], on=data["on"], by=user, note=data["note"])


MOVE = "move"

UNIT_ACTIONS = [
    StepAction("assign", gettext_lazy("Assign to a contract"), forms.AssignForm, _assign, permission=MOVE),
    StepAction("ship", gettext_lazy("Ship"), forms.ShipForm, _ship, permission=MOVE),
    StepAction("install", gettext_lazy("Record installed"), forms.InstallForm, _install, permission=MOVE),
    StepAction(
        "request_return", gettext_lazy("Request return"), forms.RequestReturnForm, _request_return, permission=MOVE
    ),
    StepAction(
        "receive_return",
        gettext_lazy("Receive returned unit"),
        forms.ReceiveReturnForm,
        _receive_return,
        permission=MOVE,
    ),
    StepAction(
        "unassign",
        gettext_lazy("Back to stock (not shipped)"),
        forms.DateNoteForm,
        _simple(units.unassign),
        permission=MOVE,
    ),
    StepAction("refurbish", gettext_lazy("Refurbished"), forms.DateNoteForm, _simple(units.refurbish), permission=MOVE),
    StepAction("restock", gettext_lazy("Back in stock"), forms.DateNoteForm, _simple(units.restock), permission=MOVE),
    StepAction("dispose", gettext_lazy("Dispose"), forms.DateNoteForm, _simple(units.dispose), permission=MOVE),
    StepAction(
        "report_failure", gettext_lazy("Report a failure"), forms.DateNoteForm, _report_failure, permission=MOVE
    ),
    StepAction("report_loss", gettext_lazy("Report a loss or damage"), forms.LossForm, _report_loss, permission=MOVE),
    StepAction(
        "mark_found", gettext_lazy("Flag found"), forms.DateNoteForm, _simple(units.mark_found), permission=MOVE
    ),
]


def _start_investigation(incident, data, user):
    incidents.start_investigation(incident, on=data["on"], by=user, note=data["note"])


def _resolve_failure(incident, data, user):
    incidents.resolve_failure(
        incident,
        cause=data["cause"],
        resolution=data["resolution"],
        on=data["on"],
        by=user,
        replacement=data["replacement"],
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
    )


def _ship_replacement(incident, data, user):
    incidents.ship_replacement(
        incident,
        data["replacement"],
        on=data["on"],
        by=user,
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
    )
    return data["replacement"].serial


def _record_answer(incident, data, user):
    incidents.record_answer(incident, on=data["on"], answer=data["answer"], next_on=data["next_on"], by=user)
    return _("follow up on %(date)s") % {"date": date_text(data["next_on"])}


def _record_lost(incident, data, user):
    row = incidents.record_lost(incident, on=data["on"], by=user, note=data["note"])
    return row.article


def _record_lost_warning(rows) -> list[str]:
    return [
        _(
            "The unit is recorded lost: it is no longer asked back or reminded of, and its loss charge waits on "
            "the assessment worklist (ISP Platform art. 7 ¶6; Managed Router art. 9 ¶2). A unit found later "
            "keeps its charge."
        )
    ]


def _assess(incident, data, user):
    charge = charges.assess(incident, on=data["on"], by=user, amount=data["amount"], reason=data["reason"])
    return f"{charge.get_kind_display()} {yen(charge.amount)}"


INCIDENT_ACTIONS = [
    StepAction(
        "start_investigation",
        gettext_lazy("Start the investigation"),
        forms.DateNoteForm,
        _start_investigation,
        permission="investigate",
    ),
    StepAction(
        "resolve_failure",
        gettext_lazy("Record the outcome and repair"),
        forms.ResolveFailureForm,
        _resolve_failure,
        permission="investigate",
    ),
    StepAction(
        "ship_replacement",
        gettext_lazy("Ship a replacement"),
        forms.ReplacementForm,
        _ship_replacement,
        permission="investigate",
    ),
    StepAction(
        "record_answer",
        gettext_lazy("Record the customer's answer"),
        forms.AnswerForm,
        _record_answer,
        permission="investigate",
    ),
    StepAction(
        "record_lost",
        gettext_lazy("Record the unit lost"),
        forms.DateNoteForm,
        _record_lost,
        _record_lost_warning,
        permission="investigate",
    ),
    StepAction("assess", gettext_lazy("Assess the charge"), forms.AssessForm, _assess),
]


def _approve(charge, data, user):
    charges.approve(charge, on=data["on"], by=user, note=data["note"])


def _reject(charge, data, user):
    charges.reject(charge, on=data["on"], by=user, note=data["note"])


def _approval_warning(rows) -> list[str]:
    return [_("An approved charge is handed to the monthly billing run as a one-time fee.")]


CHARGE_ACTIONS = [
    StepAction("approve", gettext_lazy("Approve"), forms.DecisionForm, _approve, _approval_warning),
    StepAction("reject", gettext_lazy("Reject"), forms.DecisionForm, _reject, permission="approve"),
]


def admin_actions(specs) -> list:
    return [spec.as_admin_action() for spec in specs]

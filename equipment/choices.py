"""Choices of the equipment domain; the allowed moves of a unit are data beside them (SPEC §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitState(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ASSIGNED = "assigned", _("Assigned to a contract")
    SHIPPED = "shipped", _("Shipped")
    INSTALLED = "installed", _("Installed")
    FAILURE_REPORTED = "failure_reported", _("Failure reported")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    NOT_RETURNED = "not_returned", _("Not returned")
    LOST = "lost", _("Lost")
    DAMAGED = "damaged", _("Damaged")
    RETURNED = "returned", _("Returned")
    REFURBISHED = "refurbished", _("Refurbished")
    DISPOSED = "disposed", _("Disposed")


S = UnitState

#: The only moves of a unit (SPEC §7). Repaired and "no failure" units go back to installed; a
#: replaced one is asked back; a lost or unreturned unit that comes back is returned (it stays "found");
#: an unreturned unit the terms do not deem lost is lost when staff record it so (``rules.deemed_lost``).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.IN_STOCK: frozenset({S.ASSIGNED, S.DISPOSED}),
    S.ASSIGNED: frozenset({S.SHIPPED, S.IN_STOCK}),
    S.SHIPPED: frozenset({S.INSTALLED, S.RETURN_REQUESTED, S.LOST, S.DAMAGED}),
    S.INSTALLED: frozenset({S.FAILURE_REPORTED, S.RETURN_REQUESTED, S.LOST, S.DAMAGED}),
    S.FAILURE_REPORTED: frozenset({S.UNDER_INVESTIGATION, S.RETURN_REQUESTED}),
    S.UNDER_INVESTIGATION: frozenset({S.INSTALLED, S.RETURN_REQUESTED}),
    S.RETURN_REQUESTED: frozenset({S.RETURNED, S.NOT_RETURNED, S.LOST, S.DAMAGED}),
    S.NOT_RETURNED: frozenset({S.RETURNED, S.LOST}),
    S.LOST: frozenset({S.RETURNED}),
    S.DAMAGED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset({S.REFURBISHED, S.DISPOSED}),
    S.REFURBISHED: frozenset({S.IN_STOCK}),
    S.DISPOSED: frozenset(),
}

#: States in which a customer's contract holds the unit (it has a holder).
HELD_STATES = frozenset(
    {
        S.ASSIGNED,
        S.SHIPPED,
        S.INSTALLED,
        S.FAILURE_REPORTED,
        S.UNDER_INVESTIGATION,
        S.RETURN_REQUESTED,
        S.NOT_RETURNED,
        S.LOST,
        S.DAMAGED,
    }
)
#: Held states in which the unit counts against a router-rental option's unit count (in use there).
IN_USE_STATES = frozenset({S.ASSIGNED, S.SHIPPED, S.INSTALLED, S.FAILURE_REPORTED, S.UNDER_INVESTIGATION})
#: States of a unit reported failed, before it is repaired or swapped (Managed Router art. 8).
FAILURE_STATES = frozenset({S.FAILURE_REPORTED, S.UNDER_INVESTIGATION})
#: States with a return deadline running.
AWAITED_STATES = frozenset({S.RETURN_REQUESTED, S.NOT_RETURNED})


class ReturnGround(models.TextChoices):
    """Why a unit is awaited back: what its return deadline rests on, and what follows when it is missed
    (``rules.RETURN_ARTICLES``, ``rules.deemed_lost``)."""

    CONTRACT_ENDED = "contract_ended", _("Managed Router contract ended")
    RENTAL = "rental", _("Rented ISP Platform router no longer used")
    FAILED_UNIT = "failed_unit", _("Failed unit swapped")
    ASKED_BACK = "asked_back", _("Asked back while the contract runs")


class IncidentKind(models.TextChoices):
    FAILURE = "failure", _("Failure")
    LOSS = "loss", _("Loss")
    DAMAGE = "damage", _("Damage")
    NOT_RETURNED = "not_returned", _("Not returned by the deadline")


class Cause(models.TextChoices):
    """The investigation outcome of a failure (Managed Router art. 8)."""

    OUR_FAULT = "our_fault", _("Our fault")
    CUSTOMER_FAULT = "customer_fault", _("Customer's fault")
    NO_FAILURE = "no_failure", _("No failure found")
    MINOR = "minor", _("Minor, handled by the customer as instructed")


#: Failure causes the customer pays the failure handling charge for (annex 1 3.(5)).
CHARGED_CAUSES = frozenset({Cause.CUSTOMER_FAULT, Cause.NO_FAILURE})


class Resolution(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    REPLACED = "replaced", _("Replaced")
    NO_ACTION = "no_action", _("No repair needed")


class ChargeKind(models.TextChoices):
    FAILURE_HANDLING = "failure_handling", _("Failure handling charge")
    LOSS = "loss", _("Loss charge")
    DAMAGE = "damage", _("Damage charge")


#: The charge an incident of each kind may produce.
CHARGE_OF_INCIDENT = {
    IncidentKind.FAILURE: ChargeKind.FAILURE_HANDLING,
    IncidentKind.LOSS: ChargeKind.LOSS,
    IncidentKind.NOT_RETURNED: ChargeKind.LOSS,
    IncidentKind.DAMAGE: ChargeKind.DAMAGE,
}


class ChargeState(models.TextChoices):
    ASSESSED = "assessed", _("Assessed, awaiting approval")
    APPROVED = "approved", _("Approved, not yet invoiced")
    REJECTED = "rejected", _("Rejected")
    INVOICED = "invoiced", _("Invoiced")


CHARGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChargeState.ASSESSED: frozenset({ChargeState.APPROVED, ChargeState.REJECTED}),
    ChargeState.APPROVED: frozenset({ChargeState.INVOICED}),
    ChargeState.REJECTED: frozenset(),
    ChargeState.INVOICED: frozenset(),
}


class ReturnCondition(models.TextChoices):
    """The condition a returned unit arrives in (Managed Router art. 7 ¶2, art. 9; ISP Platform art. 7)."""

    GOOD = "good", _("Good")
    DAMAGED = "damaged", _("Damaged")
    PARTS_MISSING = "parts_missing", _("Parts missing")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline")

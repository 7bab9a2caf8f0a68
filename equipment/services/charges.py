"""Charges of incidents: assessed from the price list (overridable with a reason), then approved or
rejected by an approver who did not assess it, then handed to billing (``billing_source``)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import RuleRefusal
from backoffice.moves import check_move, lock, save_audited

from .. import rules
from ..choices import CHARGE_TRANSITIONS, ChargeState
from ..models import Charge, Incident, PriceListEntry
from ..models.charges import DECIDED

APPROVE_PERMISSION = "equipment.approve_charge"


def list_amount(incident: Incident, kind: str) -> int | None:
    entry = PriceListEntry.objects.filter(unit_model=incident.unit.unit_model_id, kind=kind).first()
    return entry.amount if entry else None


@transaction.atomic
def assess(incident: Incident, *, on: date, by, amount: int | None = None, reason: str = "") -> Charge:
    """Assess the one charge of ``incident`` (a second is refused, by the database too)."""
    row = lock(incident)
    if Charge.objects.filter(incident=row).exists():
        raise RuleRefusal(_("This incident already has its charge: one incident, one charge."))
    kind = rules.charge_kind(row)
    listed = list_amount(row, kind)
    if amount is None:
        if listed is None:
            raise RuleRefusal({"amount": _("The price list has no amount for this model and charge: enter one.")})
        amount = listed
    if amount != listed and not reason.strip():
        raise RuleRefusal({"override_reason": _("An amount other than the price list's needs a reason.")})
    if on < row.reported_on:
        raise RuleRefusal({"assessed_on": _("A charge is assessed on or after the incident was reported.")})
    charge = Charge(
        incident=row,
        kind=kind,
        list_amount=listed,
        amount=amount,
        override_reason=reason.strip(),
        assessed_on=on,
        assessed_by=by,
    )
    save_audited(charge, by=by, reason=_("Assessed"))
    return charge


@transaction.atomic
def decide(charge: Charge, to: str, *, on: date, by, note: str = "") -> Charge:
    """Approve or reject a charge: by an approver other than its assessor, once (the row is locked)."""
    row = lock(charge)
    if row.status in DECIDED:
        raise RuleRefusal(
            _("This charge was already decided: %(state)s on %(date)s by %(who)s. A charge is decided once.")
            % {"state": row.get_status_display(), "date": date_text(row.decided_on), "who": row.decided_by}
        )
    check_move(row, to, CHARGE_TRANSITIONS)
    if to not in (ChargeState.APPROVED, ChargeState.REJECTED):
        raise RuleRefusal(_("A charge is approved or rejected here."))
    if by is None or not by.has_perm(APPROVE_PERMISSION):
        raise RuleRefusal(_("Only an approver approves or rejects a charge."))
    if by.pk == row.assessed_by_id:
        raise RuleRefusal({"decided_by": _("The person who assessed a charge cannot approve or reject it.")})
    if on < row.assessed_on:
        raise RuleRefusal({"decided_on": _("A charge is decided on or after its assessment.")})
    row.status, row.decided_on, row.decided_by, row.decision_note = to, on, by, note
    save_audited(row, by=by, reason=row.get_status_display())
    charge.refresh_from_db()
    return row


def approve(charge: Charge, *, on: date, by, note: str = "") -> Charge:
    return decide(charge, ChargeState.APPROVED, on=on, by=by, note=note)


def reject(charge: Charge, *, on: date, by, note: str = "") -> Charge:
    return decide(charge, ChargeState.REJECTED, on=on, by=by, note=note)

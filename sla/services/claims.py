"""Deciding a claim (CXM2 art. 13, Smart HUB art. 9): granted only within the deadline, once, under the cap.

The claim and every affected-contract row of the same contract in the same month are locked, so two
claims of that month are decided one after the other and the second sees what the first granted.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from backoffice.display import date_text, yen
from backoffice.moves import check_move, lock, save_audited
from contracts.selectors import SLA_SERVICES

from ..articles import CLAIM, GUARANTEE
from ..models import AffectedContract, ClaimStatus, Credit, OutageState
from ..models.claim import CLAIM_MOVES
from .months import month_of


def _granted_in_month(affected: AffectedContract) -> int:
    """Credits already granted on the contract for outages starting in the month of this one, rows locked."""
    first, after = month_of(affected.outage.started_at)
    month = AffectedContract.objects.filter(
        contract_id=affected.contract_id, outage__started_at__gte=first, outage__started_at__lt=after
    )
    list(month.select_for_update(of=("self",)).values_list("pk", flat=True))
    granted = Credit.objects.filter(claim__affected__in=month).aggregate(
        total=Sum(F("availability_amount") + F("notification_amount"))
    )
    return granted["total"] or 0


def _no_credit_reason(affected: AffectedContract) -> str:
    outage, service = affected.outage, affected.contract.service_id
    if service not in SLA_SERVICES:
        return _("The service has no quality guarantee (SPEC §8: CXM2 and Smart HUB only).")
    article = GUARANTEE[service]
    if outage.excluded:
        return _("The outage is excluded: %(reason)s (%(article)s).") % {
            "reason": outage.get_exclusion_reason_display(),
            "article": article,
        }
    if affected.excluded:
        return _("The contract is excluded from this outage's credits: %(reason)s (%(article)s).") % {
            "reason": affected.get_exclusion_reason_display(),
            "article": article,
        }
    return _(
        "No credit: the outage lasted 30 minutes or less and the failure was notified within 30 minutes (%(article)s)."
    ) % {"article": article}


def _within(claimed_on: date, credit: int, deadline: date | None) -> int:
    return credit if deadline and claimed_on <= deadline else 0


@transaction.atomic
def decide(claim, *, on: date, by) -> Credit | None:
    """Grant the claim's credits claimed in time, capped at the base monthly fee for the month, or refuse
    it with the reason (and the deadline). Returns the credit granted, if any."""
    row = lock(claim)
    affected = AffectedContract.objects.select_related("outage", "contract").get(pk=row.affected_id)
    if affected.outage.state != OutageState.CONFIRMED:
        raise ValidationError(
            _("The outage is a draft from the monitoring's alerts: confirm it before deciding the claim (%(article)s).")
            % {"article": GUARANTEE.get(affected.contract.service_id, "")}
        )
    row.deadline = affected.claim_deadline
    availability = _within(row.claimed_on, affected.availability_credit, affected.availability_deadline)
    notification = _within(row.claimed_on, affected.notification_credit, affected.notification_deadline)
    left = max(affected.monthly_fee - _granted_in_month(affected), 0)
    if not affected.credit_before_cap:
        refusal = _no_credit_reason(affected)
    elif not availability + notification:
        refusal = _("Claimed on %(claimed)s, after the deadline %(deadline)s: the right is lost (%(article)s).") % {
            "claimed": date_text(row.claimed_on),
            "deadline": date_text(row.deadline),
            "article": CLAIM[affected.contract.service_id],
        }
    elif not left:
        refusal = _("Nothing is left under the monthly cap of %(fee)s for the month (%(article)s).") % {
            "fee": yen(affected.monthly_fee),
            "article": CLAIM[affected.contract.service_id],
        }
    else:
        refusal = ""
    status = ClaimStatus.REFUSED if refusal else ClaimStatus.GRANTED
    check_move(row, status, CLAIM_MOVES)
    row.status, row.decided_on, row.refusal_reason = status, on, refusal
    save_audited(row, by=by, reason=refusal or "granted")
    if refusal:
        claim.refresh_from_db()
        return None
    availability = min(availability, left)
    credit = Credit(
        claim=row,
        availability_amount=availability,
        notification_amount=min(notification, left - availability),
        granted_on=on,
    )
    save_audited(credit, by=by, reason="granted on the claim")
    claim.refresh_from_db()
    return credit

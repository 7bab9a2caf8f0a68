"""Ending a related contract (関連契約) and what follows from it for our contracts."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition
from backoffice.moves import lock, save_audited
from customers.models import RelatedContract

from ..choices import TerminationReason
from ..rules import related_end_followers
from .dates import refuse_future
from .lifecycle import terminate


@transaction.atomic
def end_related_contract(related: RelatedContract, *, on: date, by=None) -> list:
    """Record that ``related`` ends on ``on``; the rules may refuse, or end dependent contracts with it.

    Returns the contracts ended as a consequence (reason ``cascade``).
    """
    row = lock(related)
    if row.ended_on:
        raise InvalidTransition(
            _("This related contract has already ended on %(date)s.") % {"date": date_text(row.ended_on)}
        )
    if on < row.started_on:
        raise InvalidTransition(_("The end date cannot be before the date the contract was formed."))
    refuse_future(on, _("The end of the related contract"))
    followers = related_end_followers(row, on)
    row.ended_on = on
    save_audited(row, by=by, reason=_("Related contract ended"))
    ended = []
    for contract in followers:
        if contract.is_live:
            ended.append(
                terminate(
                    contract,
                    on=on,
                    reason=TerminationReason.CASCADE,
                    by=by,
                    note=_("Ended with related contract %(ref)s") % {"ref": row},
                )
            )
    related.refresh_from_db()
    return ended

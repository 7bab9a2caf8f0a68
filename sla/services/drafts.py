"""Outages the monitoring's alerts open: a draft that follows the alerts' times until staff confirm it, adjust
its times with a reason, or exclude it (CXM2 art. 8 ¶2, Smart HUB art. 5 ¶2, annex 1 of both; General
Terms art. 24 ¶2).

The alerts' own times stay in ``detected_started_at``/``detected_ended_at`` whatever staff decide, and the
history keeps every version of both: the machine's times and the person's. A draft earns nothing; its
credits are computed once it is confirmed (``Outage.earns_credits``).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.moves import check_move, lock, move_locked, save_audited
from backoffice.signals import send_on_commit

from .. import signals
from ..models import Outage, OutageOrigin, OutageState
from ..models.moments import to_the_second
from ..models.outage import EXCLUSION_ARTICLES
from . import notices, outages


def open_draft(*, started_at: datetime, ended_at: datetime | None, cause: str, contracts) -> Outage:
    """A draft outage opened by alerts that started at ``started_at`` (ended already when a resolve came first),
    on ``contracts``, whose failure contacts are sent their notices."""
    started_at, ended_at = to_the_second(started_at), to_the_second(ended_at)
    outage = Outage(
        started_at=started_at,
        ended_at=ended_at,
        detected_started_at=started_at,
        detected_ended_at=ended_at,
        state=OutageState.DRAFT,
        origin=OutageOrigin.MONITORING,
        cause=cause,
    )
    save_audited(outage, by=None, reason=_("Opened by the monitoring's alerts"))
    send_on_commit(signals.outage_opened, outage)
    extend(outage, contracts)
    if ended_at is not None:
        notices.notify_resolved(outage)
        send_on_commit(signals.outage_closed, outage)
    return outage


def extend(outage: Outage, contracts) -> int:
    """Alerts of ``outage`` hit ``contracts`` too: those not yet hit join it and are sent their notices."""
    contracts = list(contracts)
    added = outages.affect(outage, contracts, by=None)
    notices.notify(outage, contracts)
    return added


@transaction.atomic
def follow_alerts(outage: Outage, *, started_at: datetime, ended_at: datetime | None) -> Outage:
    """The alerts now say the outage started at ``started_at`` and ended at ``ended_at`` (None: goes on). A
    draft's times follow, unless staff adjusted them; an outage whose alerts all resolved is closed and its
    contacts are told, again if a flap had reopened it."""
    row = lock(outage)
    started_at, ended_at = to_the_second(started_at), to_the_second(ended_at)
    if (row.detected_started_at, row.detected_ended_at) == (started_at, ended_at):
        return row
    closes = row.detected_ended_at is None and ended_at is not None
    row.detected_started_at, row.detected_ended_at = started_at, ended_at
    if row.state == OutageState.DRAFT and not row.adjustment_reason:
        row.started_at, row.ended_at = started_at, ended_at
    reason = _("Closed: the alerts resolved") if closes else _("The alerts' times changed")
    save_audited(row, by=None, reason=reason)
    outages.recompute(row, by=None)
    if closes:
        notices.notify_resolved(row)
        send_on_commit(signals.outage_closed, row)
    return row


def _draft_ended(row: Outage) -> None:
    check_move(row, OutageState.CONFIRMED)
    if row.ended_at is None:
        raise ValidationError(_("The outage goes on: it is confirmed once its alerts have resolved."))


@transaction.atomic
def confirm(outage: Outage, *, by) -> Outage:
    """Staff confirm the draft as the alerts (or their adjustment) give it: its credits are computed from now."""
    row = lock(outage)
    _draft_ended(row)
    move_locked(row, OutageState.CONFIRMED, by=by, reason=_("Confirmed"), confirmed_at=timezone.now(), confirmed_by=by)
    outages.recompute(row, by=by)
    return row


@transaction.atomic
def adjust(outage: Outage, *, started_at: datetime, ended_at: datetime, reason: str, by) -> Outage:
    """Staff correct a draft's times with a reason; the alerts' times stay beside them."""
    row = lock(outage)
    if row.state != OutageState.DRAFT:
        raise ValidationError(_("Only a draft's times are adjusted; this outage is confirmed."))
    if row.ended_at is None:
        raise ValidationError(_("The outage goes on: adjust its times once its alerts have resolved."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the times differ from the alerts'.")})
    row.started_at, row.ended_at, row.adjustment_reason = started_at, ended_at, reason.strip()
    text = _("Times adjusted to %(start)s – %(end)s: %(reason)s") % {
        "start": date_text(started_at, seconds=True),
        "end": date_text(ended_at, seconds=True),
        "reason": reason.strip(),
    }
    save_audited(row, by=by, reason=text)
    outages.recompute(row, by=by)
    return row


@transaction.atomic
def exclude(outage: Outage, *, reason: str, note: str, by) -> Outage:
    """Staff decide the draft earns no credit for anyone (maintenance notified in advance, the customer's cause,
    not our fault): it is confirmed as excluded."""
    row = lock(outage)
    _draft_ended(row)
    if not note.strip():
        raise ValidationError({"note": _("Say why the outage is excluded.")})
    text = _("Excluded (%(articles)s)") % {"articles": EXCLUSION_ARTICLES}
    move_locked(
        row,
        OutageState.CONFIRMED,
        by=by,
        reason=text,
        excluded=True,
        exclusion_reason=reason,
        exclusion_note=note.strip(),
        confirmed_at=timezone.now(),
        confirmed_by=by,
    )
    outages.recompute(row, by=by)
    return row

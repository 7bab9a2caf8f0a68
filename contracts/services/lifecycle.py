"""The only way a contract or an option changes status.

Each move runs in a transaction with the row locked, checks the move against
``ALLOWED_MOVES``, applies the rules (``full_clean``) and records who did it and why in the
history (``backoffice.moves``). Works alike for ``Contract`` and ``ContractOption``. A caller that keeps
its objects current (the import) says so by passing its ``trusted`` (``contracts.trusted``) to the moves
it plays; no other caller does.
"""

import copy
import functools
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition
from backoffice.moves import check_move, lock, save_audited

from .. import signals
from ..catalog_data import notice_of
from ..choices import ALLOWED_MOVES, Status, TerminationReason
from ..models import Contract, ContractOption
from ..rules import check_contract_end, check_option_end, contract_end_followers
from ..rules.cascades import endings_with
from ..rules.fixed_fees import check_fixed_fees
from ..rules.queries import forget_lock_read, read_with_lock
from ..trusted import Trusted
from . import option_changes
from .dates import recompute_dates, refuse_future


def _lock(obj, trusted: Trusted | None = None):
    """``obj``'s row locked (``backoffice.moves.lock``), or as ``trusted`` vouches for it: a copy of an object
    whose row the caller inserted, a locked row holding the related rows the caller gave ``obj``. The rules
    read its saved values from it until ``_refresh`` (``read_with_lock``)."""
    if trusted is None:
        row = lock(obj)
    elif trusted.wrote(obj):
        row = copy.copy(obj)
    else:
        row = lock(obj)
        for field in _relations(obj):
            if field.is_cached(obj) and getattr(obj, field.attname) == getattr(row, field.attname):
                field.set_cached_value(row, field.get_cached_value(obj))
    read_with_lock(row)
    return row


def _refresh(obj, row, trusted: Trusted | None = None):
    """Bring ``obj`` to ``row`` as just saved: read again, or with ``trusted`` copied."""
    forget_lock_read(row)
    if trusted is None:
        obj.refresh_from_db()
        return row
    for field in row._meta.concrete_fields:
        setattr(obj, field.attname, getattr(row, field.attname))
    for field in _relations(row):
        if field.is_cached(row):
            field.set_cached_value(obj, field.get_cached_value(row))
    obj._prefetched_objects_cache = {}
    return row


def _one_write(move):
    """A move that writes only its own row, after every rule passed: in a transaction of its own (a
    savepoint in the caller's), except for a ``trusted`` caller. The import, already in its own
    transaction, plays its file again without a row whose write the database refused; a move its rules
    refused wrote nothing, so the savepoint (two queries a move) would undo nothing."""

    @functools.wraps(move)
    def run(*args, **kwargs):
        if kwargs.get("trusted") is not None:
            return move(*args, **kwargs)
        with transaction.atomic():
            return move(*args, **kwargs)

    return run


def _relations(obj):
    return [field for field in obj._meta.concrete_fields if field.is_relation]


def _freeze_terms(row, **agreed) -> None:
    """Copy the price snapshot (``row.FROZEN_TERMS``) from the catalog entry, agreed prices winning; a fee the
    annex fixes is refused at any other amount, agreed or listed (``rules.fixed_fees``)."""
    entry = row.catalog_entry()
    for name in row.FROZEN_TERMS:
        setattr(row, name, agreed.get(name, getattr(entry, name)))
    check_fixed_fees(entry.pk, {name: getattr(row, name) for name in row.FROZEN_TERMS})


def notice_article(row) -> str:
    """The article that sets ``row``'s notice period, kept beside its days in the catalog."""
    if isinstance(row, ContractOption):
        return notice_of(row.contract.service_id, option=True).article
    return notice_of(row.service_id, option=False).article


@_one_write
def accept(
    obj,
    *,
    on: date,
    by=None,
    initial_fee: int | None = None,
    monthly_fee: int | None = None,
    trusted: Trusted | None = None,
):
    """承諾: accept the application on ``on``, freezing the catalog terms and agreed prices onto it."""
    row = _lock(obj, trusted)
    check_move(row, Status.ACCEPTED, ALLOWED_MOVES)
    if on < row.applied_on:
        raise InvalidTransition(_("The acceptance date cannot be before the application date."))
    refuse_future(on, _("The acceptance"))
    row.status, row.accepted_on = Status.ACCEPTED, on
    agreed = {k: v for k, v in {"initial_fee": initial_fee, "monthly_fee": monthly_fee}.items() if v is not None}
    _freeze_terms(row, **agreed)
    save_audited(row, by=by, reason=_("Accepted"), trusted=trusted)
    if isinstance(row, ContractOption):
        option_changes.record_option_added(row, on=on, by=by)
    signals.send_on_commit(signals.accepted, row, on=on)
    return _refresh(obj, row, trusted)


@_one_write
def start_billing(obj, *, on: date, by=None, trusted: Trusted | None = None):
    """課金開始: monthly fees and the minimum period run from ``on`` (day one)."""
    row = _lock(obj, trusted)
    check_move(row, Status.ACTIVE, ALLOWED_MOVES)
    if row.status != Status.ACCEPTED:
        raise InvalidTransition(_("Billing can start only on an accepted contract or option."))
    if on < row.accepted_on:
        raise InvalidTransition(_("Billing cannot start before the acceptance date."))
    refuse_future(on, _("The billing start"))
    row.status, row.billing_start_on = Status.ACTIVE, on
    if not row.min_period_start_on:
        row.min_period_start_on = on
    recompute_dates(row)
    save_audited(row, by=by, reason=_("Billing started"), trusted=trusted)
    signals.send_on_commit(signals.billing_started, row, on=on)
    return _refresh(obj, row, trusted)


@_one_write
def register_notice(
    obj, *, received_on: date, requested_on: date | None = None, by=None, trusted: Trusted | None = None
):
    """解約申込到達: record the cancellation notice; the effective end is computed from the frozen notice days."""
    row = _lock(obj, trusted)
    check_move(row, Status.CANCELLING, ALLOWED_MOVES)
    if requested_on and requested_on < received_on:
        raise InvalidTransition(_("The requested end cannot be before the notice was received."))
    if received_on < row.accepted_on:
        raise InvalidTransition(
            _("A cancellation notice cannot be received before the acceptance date (%(date)s).")
            % {"date": date_text(row.accepted_on)}
        )
    refuse_future(received_on, _("The cancellation notice"))
    row.status, row.notice_received_on, row.requested_end_on = Status.CANCELLING, received_on, requested_on
    recompute_dates(row)
    # A stop the rules would refuse on its effective date is refused now, not left pending.
    if isinstance(row, ContractOption):
        check_option_end(row, row.effective_end_on)
    else:
        check_contract_end(row, row.effective_end_on)
    save_audited(row, by=by, reason=_("Cancellation notice received"), trusted=trusted)
    signals.send_on_commit(
        signals.notice_registered, row, received_on=received_on, effective_end_on=row.effective_end_on
    )
    return _refresh(obj, row, trusted)


@_one_write
def withdraw_notice(obj, *, by=None):
    """The customer withdraws its cancellation notice before it takes effect."""
    row = _lock(obj)
    check_move(row, Status.ACTIVE, ALLOWED_MOVES)
    if row.status != Status.CANCELLING or not row.billing_start_on:
        raise InvalidTransition(_("Only a pending cancellation of a billed contract can be withdrawn."))
    if row.effective_end_on < timezone.localdate():
        raise InvalidTransition(
            _("The cancellation took effect on %(date)s; it can no longer be withdrawn.")
            % {"date": date_text(row.effective_end_on)}
        )
    row.status, row.notice_received_on, row.requested_end_on = Status.ACTIVE, None, None
    recompute_dates(row)
    save_audited(row, by=by, reason=_("Cancellation notice withdrawn"))
    signals.send_on_commit(signals.notice_withdrawn, row)
    return _refresh(obj, row)


@_one_write
def withdraw(obj, *, by=None, trusted: Trusted | None = None):
    """取下げ: an application that is never accepted."""
    row = _lock(obj, trusted)
    check_move(row, Status.WITHDRAWN, ALLOWED_MOVES)
    row.status = Status.WITHDRAWN
    save_audited(row, by=by, reason=_("Application withdrawn"), trusted=trusted)
    return _refresh(obj, row, trusted)


def _end_row(row, *, on: date, reason: str, by, note: str, trusted: Trusted | None) -> None:
    check_move(row, Status.TERMINATED, ALLOWED_MOVES)
    if row.accepted_on and on < row.accepted_on:
        raise InvalidTransition(_("%(obj)s cannot end before it was accepted.") % {"obj": row})
    row.status, row.terminated_on, row.termination_reason = Status.TERMINATED, on, reason
    save_audited(row, by=by, reason=note, trusted=trusted)
    signals.send_on_commit(signals.terminated, row, on=on, reason=reason)


@transaction.atomic
def terminate(
    obj,
    *,
    on: date,
    reason: str = TerminationReason.CUSTOMER_REQUEST,
    by=None,
    note: str = "",
    trusted: Trusted | None = None,
):
    """解除: end a contract (with its options, children and dependent contracts) or an option on ``on``.

    No end is dated after today. A customer-requested end needs a registered notice and cannot come
    before its effective date (the article of the notice period is named); the other reasons (general
    terms art. 28, abolition, cascade) end the row on the date given. Contracts that the rules say end
    with this one end with the same date, reason ``cascade``.
    """
    row = _lock(obj, trusted)
    reason = TerminationReason(reason)
    refuse_future(on, _("The end"))
    if reason == TerminationReason.CUSTOMER_REQUEST:
        if row.status != Status.CANCELLING:
            raise InvalidTransition(_("A customer-requested end needs a cancellation notice first."))
        if on < row.effective_end_on:
            raise InvalidTransition(
                _("The cancellation takes effect on %(date)s; it cannot end earlier (%(article)s).")
                % {"date": date_text(row.effective_end_on), "article": notice_article(row)}
            )
    note = note or _("Terminated: %(reason)s") % {"reason": reason.label}
    if isinstance(row, Contract):
        _end_contract(row, on=on, reason=reason, by=by, note=note, trusted=trusted)
    else:
        check_option_end(row, on)
        _end_row(row, on=on, reason=reason, by=by, note=note, trusted=trusted)
        option_changes.record_option_ended(row, on=on, reason=reason, by=by)
    return _refresh(obj, row, trusted)


def _end_contract(row: Contract, *, on: date, reason: str, by, note: str, trusted: Trusted | None) -> None:
    endings = endings_with(row, on, reason, followers=contract_end_followers)
    _end_row(row, on=on, reason=reason, by=by, note=note, trusted=trusted)
    for ending in endings:
        dependent = lock(ending.row)
        if dependent.is_live:
            why = _ENDED_WITH[ending.via] % {"n": ending.cause.number}
            _end_row(dependent, on=on, reason=ending.reason, by=by, note=why, trusted=trusted)


_ENDED_WITH = {
    "option": _lazy("Ended with its contract %(n)s"),
    "child": _lazy("Ended with its parent %(n)s"),
    "follower": _lazy("Ended with %(n)s"),
}


def close_due(*, today: date, by=None) -> tuple[int, list[tuple[object, ValidationError]]]:
    """End every pending cancellation whose effective date (the last day of service) has passed.

    Each row ends in its own transaction, so one refusal (a rule keeping a row alive) does not
    hold back the others; returns the number ended and the refusals.
    """
    ended, refused = 0, []
    for model in (Contract, ContractOption):
        for row in model.objects.filter(status=Status.CANCELLING, effective_end_on__lt=today).order_by("pk"):
            try:
                terminate(row, on=row.effective_end_on, by=by)
                ended += 1
            except ValidationError as exc:
                refused.append((row, exc))
    return ended, refused


@_one_write
def restart_minimum_period(obj, *, on: date, by=None, reason: str):
    """Restart the minimum period from ``on`` (Managed Router art. 5 ¶3 equipment, ¶4 option changes)."""
    row = _lock(obj)
    if row.status not in (Status.ACTIVE, Status.CANCELLING):
        raise InvalidTransition(_("Only a billed contract or option has a minimum period to restart."))
    if on < row.billing_start_on:
        raise InvalidTransition(_("The minimum period cannot restart before the billing start."))
    refuse_future(on, _("The restart of the minimum period"))
    row.min_period_start_on = on
    recompute_dates(row)
    save_audited(row, by=by, reason=reason)
    return _refresh(obj, row)


#: The frozen terms an override may change. The prices that hold from a day on (monthly, change, per-unit fees)
#: change only with a date (``services.prices``): an undated change would rewrite every month already billed.
OVERRIDABLE_TERMS = ("min_months", "notice_days", "prorated", "initial_fee")


@_one_write
def override_terms(obj, *, by=None, reason: str, **changes):
    """Change frozen terms (any of ``OVERRIDABLE_TERMS``) by hand; the reason is required and kept in the history."""
    if not reason.strip():
        raise ValidationError(_("A manual override needs a reason."))
    unknown = set(changes) - set(OVERRIDABLE_TERMS)
    if unknown:
        raise ValueError(f"not an overridable term: {', '.join(sorted(unknown))}")
    row = _lock(obj)
    if row.status in (Status.APPLIED, Status.TERMINATED, Status.WITHDRAWN):
        raise InvalidTransition(_("Terms can be overridden only on a live, accepted contract or option."))
    check_fixed_fees(row.item_id if isinstance(row, Contract) else row.kind_id, changes)
    for name, value in changes.items():
        setattr(row, name, value)
    recompute_dates(row)
    save_audited(row, by=by, reason=_("Terms overridden: %(reason)s") % {"reason": reason})
    return _refresh(obj, row)


__all__ = [
    "accept",
    "close_due",
    "override_terms",
    "register_notice",
    "restart_minimum_period",
    "start_billing",
    "terminate",
    "withdraw",
    "withdraw_notice",
]

"""Posting a month's journal: what accounting receives, written once (``JournalBatch``, ``JournalLine``).

A month is posted once (its batch is unique per month; posting it again returns the batch), after its
last day and its billing month's closing, and after the months before it. Its lines are the month's
entries as the books stand when it is posted, then — as vouchers of their own, marked 過月分 — whatever
changed since in the months already posted: the entries of every day before the month, counted now, less
everything posted so far. A payment matched late, a match undone, a late bank file, a credit applied late
are so booked in the month they happen, and no posted month's figures ever change.

The first batch also keeps the entries before its month as opening figures (lines without a voucher
number, never exported): the books held them already, from the exports made before posting began.
Voucher numbers (伝票番号) run on from the last batch's, one per voucher."""

from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.bulk_history import insert_with_history
from backoffice.display import month_text
from backoffice.months import Month
from billing.models import BillingMonth, MonthState

from .. import journal
from ..journal import CREDIT_SIDE, DEBIT, Entry
from ..models import JournalBatch, JournalLine
from .credits import credit_negative_invoices

#: Each voucher kind's name in a 過月分 voucher's description.
KIND_LABELS = {1: "売上計上", 2: "入金", 3: "振込手数料", 4: "前受金充当", 5: "前受金振替", 6: "前受金返金"}

Key = tuple[int, str, str, str]  # voucher kind, account, sub-account, tax class


def _net(rows) -> dict[Key, int]:
    """Signed sums (debit positive) per voucher kind and account."""
    sums: dict[Key, int] = defaultdict(int)
    for kind, side, account, sub, tax, amount in rows:
        sums[(kind, account, sub, tax)] += amount if side == DEBIT else -amount
    return sums


def _entries(sums: dict[Key, int], text) -> list[Entry]:
    """The entries of signed sums, debits first within each kind; sums of nothing left out."""
    found = [
        Entry(kind, DEBIT if amount > 0 else CREDIT_SIDE, account, abs(amount), sub, tax, text(kind))
        for (kind, account, sub, tax), amount in sums.items()
        if amount
    ]
    return sorted(found, key=lambda e: (e.voucher, e.side != DEBIT))


def refuse_unready(month: Month, latest: JournalBatch | None = None) -> None:
    """Refuse to post ``month`` unless it is over, its billing month (if any) is closed, and it follows the
    last month posted (``latest``: that batch, locked by the posting; read here when not given)."""
    latest = latest or JournalBatch.objects.order_by("-month").first()
    if timezone.localdate() <= month.last_day:
        raise ValidationError(
            _("%(month)s is not over yet: post it after its last day.") % {"month": month_text(month)}
        )
    billing = BillingMonth.objects.filter(month=month.first_day).first()
    if billing is not None and billing.state != MonthState.CLOSED:
        raise ValidationError(
            _("Billing month %(month)s is not closed yet: close it first.") % {"month": month_text(month)}
        )
    if latest is not None:
        if latest.month > month.first_day:
            raise ValidationError(
                _("%(later)s is already posted: a month is posted after the months before it.")
                % {"later": month_text(latest.month)}
            )
        expected = Month.of(latest.month).shifted(1)
        if expected.first_day != month.first_day:
            raise ValidationError(
                _("Post %(month)s first: months are posted in order.") % {"month": month_text(expected)}
            )


def post_month(month: Month, *, by=None) -> JournalBatch:
    """The month's posted journal: posted now unless it already is (then the same batch)."""
    found = JournalBatch.objects.filter(month=month.first_day).first()
    if found is not None:
        return found
    credit_negative_invoices(by=by)  # a negative invoice is credit before its month is posted
    try:
        return _post(month, by=by)
    except IntegrityError:  # posted meanwhile by another request: the unique month holds one batch
        found = JournalBatch.objects.filter(month=month.first_day).first()
        if found is None:
            raise
        return found


@transaction.atomic
def _post(month: Month, *, by) -> JournalBatch:
    latest = JournalBatch.objects.select_for_update().order_by("-month").first()
    if latest is not None and latest.month == month.first_day:
        return latest
    refuse_unready(month, latest)
    before = month.first_day - timedelta(days=1)
    earlier = _net(
        (e.voucher, e.side, e.account, e.sub, e.tax, e.amount) for e in journal.entries_between(None, before)
    )
    if latest is None:
        opening, late = earlier, {}
    else:
        posted = _net(JournalLine.objects.values_list("kind", "side", "account", "sub", "tax", "amount"))
        opening = {}
        late = {key: earlier.get(key, 0) - posted.get(key, 0) for key in earlier.keys() | posted.keys()}
    own = journal.entries(month)
    late_entries = _entries(late, lambda kind: f"{journal.book_month(month)} 過月分 {KIND_LABELS[kind]}")
    number = (JournalBatch.objects.aggregate(last=Max("last_voucher"))["last"] or 0) + 1
    first_number = number
    lines, vouchers = [], {}
    for is_late, entries in ((False, own), (True, late_entries)):
        for entry in entries:
            if (is_late, entry.voucher) not in vouchers:
                vouchers[(is_late, entry.voucher)] = number
                number += 1
            lines.append(
                JournalLine(
                    voucher=vouchers[(is_late, entry.voucher)], kind=entry.voucher, late=is_late,
                    date=month.last_day, side=entry.side, account=entry.account, sub=entry.sub, tax=entry.tax,
                    amount=entry.amount, text=entry.text,
                )
            )  # fmt: skip
    for entry in _entries(opening, lambda kind: f"{journal.book_month(before)} 以前 (期首)"):
        lines.append(
            JournalLine(
                voucher=None, kind=entry.voucher, date=before, side=entry.side, account=entry.account,
                sub=entry.sub, tax=entry.tax, amount=entry.amount, text=entry.text,
            )
        )  # fmt: skip
    debit = sum(line.amount for line in lines if line.voucher and line.side == DEBIT)
    credit = sum(line.amount for line in lines if line.voucher and line.side == CREDIT_SIDE)
    reason = _("Journal of %(month)s posted") % {"month": month_text(month)}
    batch = JournalBatch(
        month=month.first_day,
        first_voucher=first_number if vouchers else None,
        last_voucher=number - 1 if vouchers else None,
        debit_total=debit,
        credit_total=credit,
        posted_by=by,
    )
    batch.full_clean()
    batch._history_user, batch._change_reason = by, reason
    batch.save()
    for index, line in enumerate(lines, start=1):
        line.batch, line.line = batch, index
    insert_with_history(JournalLine, lines, by=by, reason=reason)
    return batch


def totals(batch: JournalBatch) -> dict[str, int]:
    """The batch's debits and credits as its lines add up (the same as posted, every time)."""
    rows = batch.lines.filter(voucher__isnull=False).values("side").annotate(total=Sum("amount"))
    return {row["side"]: row["total"] for row in rows}

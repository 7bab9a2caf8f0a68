"""Playing import rows through the services, in date order, in one transaction per pass.

By default the rows are all or nothing. With ``partial`` a refused row must leave no trace, not even
the steps it passed before the refusal, so the rows are played again without the refused ones
(rows that need them are then refused in turn) until a pass refuses nothing new. A pass writes the
history of its rows together when it ends (``backoffice.bulk_history``): nothing in it reads history.

This is the project's one replay engine: ``import_contracts`` plays a file through it, the demo
data set plays the rows it writes.
"""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from itertools import groupby
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.bulk_history import DeferredHistory, Stamp, deferred_history

from .context import Context, Preloaded, index_key
from .fields import convert, row_key
from .moves import MOVES_OTHERS, ONE_WRITE, Row, Step, perform, plan
from .report import Report, describe
from .source import RawRow, read_rows

Progress = Callable[[int, int], None]

#: Steps played between two reports of progress (about half a second of an import).
PROGRESS_STEPS = 200


def import_file(path: Path, *, user=None, partial: bool = False, dry_run: bool = False) -> Report:
    """Import ``path``; raises ``source.ImportFileError`` when the file as a whole cannot be read."""
    return import_rows(read_rows(path), label=f"import {path.name}", user=user, partial=partial, dry_run=dry_run)


def import_rows(
    raw_rows: list[RawRow],
    *,
    label: str,
    user=None,
    partial: bool = False,
    dry_run: bool = False,
    dated_history: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Play ``raw_rows`` (cells as read from a file, or Python values of the same columns).

    Every history row written names ``user`` and the reason ``label:ROW``. With ``dated_history``
    it is dated on the day of its step rather than now: data that tells a past story (the demo)
    then reads in the admin's history and timeline as it happened. ``progress`` is told every
    ``PROGRESS_STEPS`` steps how far the pass is, in rows of the file.
    """
    rows = [Row(raw.number, raw.kind, row_key(raw.kind, raw.values), raw.values) for raw in raw_rows]
    converted, refused = _convert(rows)
    preloaded = Preloaded(converted.values())
    while True:
        ctx = Context(rows, dict(refused), user, preloaded)
        with transaction.atomic():
            with deferred_history(_stamp(ctx, label, dated=dated_history)) as history:
                playing = [row for number, row in converted.items() if number not in refused]
                broken = _play(ctx, playing, history, _in_rows(progress, len(rows)))
            if broken is not None:
                # The database refused a write outside any savepoint: play the file again without that row.
                transaction.set_rollback(True)
                refused = {**refused, broken: ctx.refused[broken]}
                continue
            again = partial and ctx.refused.keys() - refused.keys()
            refused = ctx.refused
            written = not dry_run and not again and (partial or not refused)
            if written:
                history.flush()
            else:
                transaction.set_rollback(True)
        if not again:
            return Report(rows, refused, ctx.notes, written=written, dry_run=dry_run)


def _convert(rows: list[Row]) -> tuple[dict[int, Row], dict[int, str]]:
    converted, refused, seen = {}, {}, {}
    for row in rows:
        first = seen.setdefault(index_key(row), row.number)
        if first != row.number and row.kind not in ("option", "change"):
            refused[row.number] = _("duplicate of row %(row)s.") % {"row": first}
            continue
        try:
            converted[row.number] = replace(row, values=convert(row.kind, row.values))
        except ValidationError as exc:
            refused[row.number] = describe(exc)
    return converted, refused


def _in_rows(progress: Progress | None, rows: int) -> Progress | None:
    """``progress`` told the steps played as the share of the file's rows they stand for."""
    if progress is None:
        return None
    return lambda played, steps: progress(played * rows // steps, rows)


def _play(ctx: Context, rows: list[Row], history: DeferredHistory, progress: Progress | None) -> int | None:
    """Run every step by date; steps of one day that a rule refuses are retried once others of that day ran.

    The order of one day's events is not in the file (a Cloud Proxy parent is accepted once its
    children are, a Standby applied for once its Active is accepted), so a day is done when its
    steps all ran or none of the rest can.

    A step that writes one row, after every rule passed, runs without a savepoint (the rules refuse
    before it writes); should the database still refuse the write, the transaction cannot go on
    (PostgreSQL) and the row's number is returned, refused, the pass unfinished. The history rows a
    refused step built are dropped with its savepoint.
    """
    steps = sorted((step for row in rows for step in plan(row)), key=lambda step: step.sort_key)
    first_day = min((step.on for step in steps if step.on > date.min), default=date.min)
    played = 0
    for _day, day_steps in groupby(steps, key=lambda step: step.on):
        pending = list(day_steps)
        while pending:
            waiting = []
            for step in pending:
                number = step.row.number
                if number in ctx.refused:
                    continue
                if ctx.done.get(number, 0) < step.index:
                    waiting.append((step, None))
                    continue
                ctx.current_row, ctx.current_on = number, max(step.on, first_day)
                savepoint, mark = step.needs_savepoint(ctx), history.mark()
                try:
                    with transaction.atomic() if savepoint else nullcontext():
                        perform(ctx, step)
                except (ValidationError, DatabaseError) as exc:
                    history.drop_since(mark)
                    if isinstance(exc, DatabaseError) and not savepoint and step.action in ONE_WRITE:
                        ctx.refused[number] = _refusal(step, exc)
                        return number
                    ctx.forget_fresh()
                    waiting.append((step, exc))
                    continue
                if step.action in MOVES_OTHERS:
                    ctx.forget_fresh()
                ctx.done[number] = step.index + 1
                played += 1
                if progress and played % PROGRESS_STEPS == 0:
                    progress(played, len(steps))
            if len(waiting) == len(pending):
                for step, exc in waiting:
                    if exc is not None:
                        ctx.refused[step.row.number] = _refusal(step, exc)
                break
            pending = [step for step, _exc in waiting]
    return None


def _refusal(step: Step, exc: Exception) -> str:
    where = step.describe()
    return f"{where}: {describe(exc)}" if where else describe(exc)


def _stamp(ctx: Context, label: str, *, dated: bool) -> Stamp:
    """Every history row written names the user and ``label:row``; ``dated``: the step's day.

    Dated rows of one day are a microsecond apart, in the order written: the history's previous
    version is found by an earlier date.
    """
    written = 0

    def stamp(history_instance):
        nonlocal written
        if ctx.user is not None and history_instance.history_user_id is None:
            history_instance.history_user = ctx.user
        where = f"{label}:{ctx.current_row}"
        reason = history_instance.history_change_reason
        history_instance.history_change_reason = (f"{where} ({reason})" if reason else where)[:100]
        if dated and ctx.current_on > date.min:
            written += 1
            morning = timezone.make_aware(datetime.combine(ctx.current_on, time(9)))
            history_instance.history_date = morning + timedelta(microseconds=written)

    return stamp

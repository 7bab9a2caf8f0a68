"""Playing an import file through the services, in date order, one savepoint per step.

By default the file is all or nothing. With ``partial`` a refused row must leave no trace, not even
the steps it passed before the refusal, so the file is played again without the refused rows
(rows that need them are then refused in turn) until a pass refuses nothing new.
"""

from contextlib import contextmanager
from dataclasses import replace
from itertools import groupby
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from simple_history.signals import pre_create_historical_record

from .context import Context, index_key
from .fields import convert, row_key
from .moves import Row, perform, plan
from .report import Report, describe
from .source import read_rows


def import_file(path: Path, *, user=None, partial: bool = False, dry_run: bool = False) -> Report:
    """Import ``path``; raises ``source.ImportFileError`` when the file as a whole cannot be read."""
    rows = [Row(raw.number, raw.kind, row_key(raw.kind, raw.values), raw.values) for raw in read_rows(path)]
    converted, refused = _convert(rows)
    while True:
        ctx = Context(rows, dict(refused), user)
        with transaction.atomic():
            with _stamped_history(ctx, path.name):
                _play(ctx, [row for number, row in converted.items() if number not in refused])
            again = partial and ctx.refused.keys() - refused.keys()
            refused = ctx.refused
            written = not dry_run and not again and (partial or not refused)
            if not written:
                transaction.set_rollback(True)
        if not again:
            return Report(rows, refused, ctx.notes, written=written, dry_run=dry_run)


def _convert(rows: list[Row]) -> tuple[dict[int, Row], dict[int, str]]:
    converted, refused, seen = {}, {}, {}
    for row in rows:
        first = seen.setdefault(index_key(row), row.number)
        if first != row.number and row.kind != "option":
            refused[row.number] = _("duplicate of row %(row)s.") % {"row": first}
            continue
        try:
            converted[row.number] = replace(row, values=convert(row.kind, row.values))
        except ValidationError as exc:
            refused[row.number] = describe(exc)
    return converted, refused


def _play(ctx: Context, rows: list[Row]) -> None:
    """Run every step by date; steps of one day that a rule refuses are retried once others of that day ran.

    The order of one day's events is not in the file (a Cloud Proxy parent is accepted once its
    children are, a Standby applied for once its Active is accepted), so a day is done when its
    steps all ran or none of the rest can.
    """
    steps = sorted((step for row in rows for step in plan(row)), key=lambda step: step.sort_key)
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
                ctx.current_row = number
                try:
                    with transaction.atomic():
                        perform(ctx, step)
                except (ValidationError, DatabaseError) as exc:
                    waiting.append((step, exc))
                    continue
                ctx.done[number] = step.index + 1
            if len(waiting) == len(pending):
                for step, exc in waiting:
                    if exc is not None:
                        where = step.describe()
                        ctx.refused[step.row.number] = f"{where}: {describe(exc)}" if where else describe(exc)
                break
            pending = [step for step, _exc in waiting]


@contextmanager
def _stamped_history(ctx: Context, source: str):
    """Every history row written during the import names the user and ``import FILE:row``."""

    def stamp(sender, history_instance, **kwargs):
        if ctx.user is not None and history_instance.history_user_id is None:
            history_instance.history_user = ctx.user
        where = f"import {source}:{ctx.current_row}"
        reason = history_instance.history_change_reason
        history_instance.history_change_reason = (f"{where} ({reason})" if reason else where)[:100]

    uid = "contracts.importer.stamp"
    pre_create_historical_record.connect(stamp, weak=False, dispatch_uid=uid)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(dispatch_uid=uid)

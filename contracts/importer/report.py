"""The import report: one line per row, then a summary that says what was written."""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from backoffice.integrity import refusal_of


def describe(exc: Exception) -> str:
    """A refusal as one line, each message prefixed by its field (the rules' messages name the article)."""
    if isinstance(exc, IntegrityError):
        exc = refusal_of(exc)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(
                message if field == NON_FIELD_ERRORS else f"{field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            )
        return " ".join(exc.messages)
    return _("refused by the database: %(error)s") % {"error": exc}


@dataclass
class Report:
    rows: list  # moves.Row, in file order
    refused: dict[int, str]
    notes: dict[int, dict[str, None]]
    written: bool
    dry_run: bool

    @property
    def refused_count(self) -> int:
        return len(self.refused)

    def lines(self) -> list[str]:
        return [self._line(row) for row in self.rows]

    def refusals(self) -> list[str]:
        """The lines of the refused rows only."""
        return [self._line(row) for row in self.rows if row.number in self.refused]

    def _line(self, row) -> str:
        if row.number in self.refused:
            outcome = _("refused: %(message)s") % {"message": self.refused[row.number]}
        else:
            notes = self.notes.get(row.number)
            outcome = _("ok") + (f" ({'; '.join(notes)})" if notes else "")
        return f"{row.number}\t{row.kind}\t{row.key}\t{outcome}"

    def summary(self, *, keep_ok_rows: str = "--partial") -> str:
        """``keep_ok_rows``: how the caller's user asks to keep the ok rows (the command's option by default)."""
        total = len(self.rows)
        counts = _("%(total)s rows: %(ok)s ok, %(refused)s refused.") % {
            "total": total,
            "ok": total - self.refused_count,
            "refused": self.refused_count,
        }
        if self.dry_run:
            outcome = _("Dry run: nothing was written.")
        elif self.written and self.refused_count:
            outcome = _("Partial import: the ok rows were written, the refused rows were not.")
        elif self.written:
            outcome = _("All rows were written.")
        else:
            outcome = _(
                "Nothing was written: the whole file was rolled back because rows were refused "
                "(fix them, or import again with %(keep_ok_rows)s to keep the ok rows)."
            ) % {"keep_ok_rows": keep_ok_rows}
        return f"{counts} {outcome}"

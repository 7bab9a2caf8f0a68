"""Price agreements: a price agreed with the customer after acceptance, dated, never silently retroactive.

A price agreement holds from the day agreed (``contracts.services.prices.record_price``). Billing decides
which days may still be priced: a day of a closed month was invoiced, so an agreement reaching back into
one is refused unless staff choose "retroactive" on purpose; the page then shows, before they confirm,
the correction each closed month will get (``corrections_if``), citing the invoice it corrects, and the
first open month bills them. The history of the price keeps who agreed it, when and why.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text, month_text, yen
from backoffice.months import Month
from backoffice.parts import Note
from contracts import selectors
from contracts.api import first_month_billed
from contracts.choices import PriceOrigin
from contracts.services.prices import components_of, record_price

from .charged import charged_for
from .contract_charges import late_charges
from .models import BillingMonth, Invoice, MonthState

#: How each price component is shown to staff.
COMPONENT_LABELS = {
    "monthly_fee": gettext_lazy("Monthly fee"),
    "change_fee": gettext_lazy("Change fee"),
    "line_fee": gettext_lazy("Line maintenance fee per line"),
    "bandwidth_fee": gettext_lazy("Bandwidth fee per 100 Mbps"),
    "cancellation_fee": gettext_lazy("Cancellation fee per unit"),
}


@dataclass(frozen=True)
class Correction:
    """What one line of a closed month becomes under the agreed price."""

    month: Month
    invoice: str
    description: str
    was: int
    now: int

    def text(self) -> str:
        return _("%(month)s, invoice %(invoice)s: %(line)s %(was)s → %(now)s (%(difference)s)") % {
            "month": month_text(self.month),
            "invoice": self.invoice,
            "line": self.description,
            "was": yen(self.was),
            "now": yen(self.now),
            "difference": yen(self.now - self.was),
        }


def closed_months_from(day: date) -> list[BillingMonth]:
    """The closed billing months holding ``day`` or later days, oldest first."""
    return list(
        BillingMonth.objects.filter(state=MonthState.CLOSED, month__gte=Month.of(day).first_day).order_by("month")
    )


def check_agreement_date(valid_from: date, *, retroactive: bool) -> bool:
    """A price reaching into a closed month is refused unless agreed retroactively on purpose; whether it
    reaches into one."""
    closed = closed_months_from(valid_from)
    if closed and not retroactive:
        raise ValidationError(
            {
                "valid_from": _(
                    "A price from %(date)s reaches into %(month)s, a closed billing month: its invoices were issued. "
                    "Choose “retroactive” on purpose to correct the closed months; the first open month bills the "
                    "corrections."
                )
                % {"date": date_text(valid_from), "month": month_text(closed[0].period)}
            }
        )
    return bool(closed)


@transaction.atomic
def agree_price(obj, *, valid_from: date, by=None, reason: str, retroactive: bool = False, **amounts):
    """Record prices agreed for ``obj`` (a contract or option) from ``valid_from`` (``DatedPrice``)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A price agreement needs a reason.")})
    given = {name: value for name, value in amounts.items() if value is not None}
    if not given:
        raise ValidationError(_("Give at least one new price."))
    reaches_closed = check_agreement_date(valid_from, retroactive=retroactive)
    return record_price(
        obj,
        valid_from=valid_from,
        origin=PriceOrigin.AGREEMENT,
        by=by,
        reason=reason,
        retroactive=reaches_closed,
        **given,
    )


def change_lines(row, valid_from: date, amounts: dict) -> list[str]:
    """Each agreed component's price before and after, and the first month billed at the new price."""
    before = selectors.price_schedule(row).on(valid_from)
    lines = [
        _("%(component)s: %(before)s → %(after)s from %(date)s")
        % {
            "component": COMPONENT_LABELS[name],
            "before": yen(getattr(before, name)),
            "after": yen(value),
            "date": date_text(valid_from),
        }
        for name, value in amounts.items()
        if value is not None and name in components_of(row)
    ]
    first = first_month_billed(bool(row.prorated), valid_from)
    return [*lines, _("First month billed at the new price: %(month)s") % {"month": first}]


def corrections_if(row, valid_from: date, since) -> list[Correction]:
    """The correction of each line of the closed months from ``valid_from`` that ``row``'s prices now owe,
    read after they were written (at ``since``): what the first open month will bill."""
    contract = getattr(row, "contract", None) or row  # an option's contract, or the contract itself
    prefix = f"{'contract' if row is contract else 'option'}:{row.pk}:"
    found = []
    with translation.override("ja"):
        for month in closed_months_from(valid_from):
            owed = {
                charge.source_key: charge
                for charge in late_charges(month.period, touched_since=since)
                if charge.source_key.startswith(prefix) and charge.occurred_on >= month.period.first_day
            }
            issued = charged_for(set(owed) | _keys_issued(month, prefix))
            invoice = Invoice.objects.filter(month=month, customer_id=contract.customer_id).first()
            for key in sorted(set(owed) | set(issued)):
                so_far = issued.get(key)
                charged, original = (so_far.amount, so_far.first) if so_far else (0, None)
                now = owed[key].amount if key in owed else 0
                if now == charged or (so_far and now == so_far.issued):  # as the run owes it (``run._owed``)
                    continue
                cited = original.invoice if original is not None else invoice
                found.append(
                    Correction(
                        month=month.period,
                        invoice=_("%(number)s of %(date)s")
                        % {"number": cited.display_number, "date": date_text(cited.issued_on)}
                        if cited
                        else "—",
                        description=(original.description if original is not None else owed[key].description),
                        was=charged,
                        now=now,
                    )
                )
    return found


def _keys_issued(month: BillingMonth, prefix: str) -> set[str]:
    return set(month.lines.filter(source_key__startswith=prefix).values_list("source_key", flat=True))


def preview(row, *, valid_from: date, amounts: dict, retroactive: bool) -> list[str]:
    """What an agreement would do, written and rolled back: its prices before and after, and the corrections
    of the closed months it reaches (empty when refused: the form shows why)."""
    with transaction.atomic():
        since = timezone.now()
        agree_price(row, valid_from=valid_from, reason="preview", retroactive=retroactive, **amounts)
        lines = [correction.text() for correction in corrections_if(row, valid_from, since)]
        transaction.set_rollback(True)
    return lines


def agreement_notes(objects: list, data: dict) -> list[Note]:
    """The confirmation page of a price agreement: per row, the prices before and after, the first month
    billed at the new price, and each closed month's correction with the invoice it corrects."""
    amounts = {name: data.get(name) for name in COMPONENT_LABELS if data.get(name) is not None}
    notes = []
    for row in objects:
        try:
            corrections = preview(
                row, valid_from=data["valid_from"], amounts=amounts, retroactive=data.get("retroactive", False)
            )
        except ValidationError:
            continue
        row.refresh_from_db()
        notes.append(Note(str(row), tuple(change_lines(row, data["valid_from"], amounts))))
        if corrections:
            notes.append(
                Note(
                    _("%(row)s: corrections of closed months, billed in the first open month") % {"row": row},
                    tuple(corrections),
                )
            )
    return notes

"""The early-termination settlement of one contract or option, with the calculation staff are shown.

``settlement_for`` reads the row's terms (proration, minimum-period end, which already reflects a Managed
Router restart) and its prices in force on each remaining day, and never writes; the amount comes from
``billing.pricing``. The confirmation page of contracts' cancellation actions shows it through ``settlement_notes``.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text, month_text, yen
from backoffice.months import Month
from backoffice.parts import Note
from contracts import selectors
from contracts.api import Prices, Schedule, terms
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import Contract

from .pricing import MBPS_PER_UNIT, RemainderMonth, isp_platform_monthly_fee, remainder_months

#: The article that makes each service's customer pay the rest of the minimum period.
SETTLEMENT_ARTICLES = {
    ServiceCode.CXM2: gettext_lazy("CXM2 art. 12, annex 3"),
    ServiceCode.CLOUD_PROXY: gettext_lazy("Cloud Proxy art. 14, annex 2"),
    ServiceCode.SMART_HUB: gettext_lazy("Smart HUB art. 8, annex 3"),
    ServiceCode.MANAGED_ROUTER: gettext_lazy("Managed Router art. 12, annex 2"),
    ServiceCode.ISP_PLATFORM: gettext_lazy("ISP Platform art. 11, annex 2"),
}


@dataclass(frozen=True)
class Settlement:
    """What a row owes for the rest of its minimum period if its last day of service is ``effective_on``."""

    amount: int
    effective_on: date
    minimum_period_end: date | None
    monthly_fee: int
    fee_parts: tuple[str, ...]
    prorated: bool
    months: tuple[RemainderMonth, ...]
    article: str
    waived_because: str = ""

    def summary(self) -> str:
        if self.waived_because:
            return _("Early-termination settlement waived: %(reason)s.") % {"reason": self.waived_because}
        if self.minimum_period_end is None:
            return _("No early-termination settlement: no minimum period.")
        if self.effective_on >= self.minimum_period_end:
            return _("No early-termination settlement: the minimum period ended on %(date)s.") % {
                "date": date_text(self.minimum_period_end)
            }
        if not self.months:
            return _(
                "No early-termination settlement: the rest of the minimum period (to %(date)s) lies in the "
                "month of the last day of service, billed in full."
            ) % {"date": date_text(self.minimum_period_end)}
        return _("Early-termination settlement: %(amount)s (%(article)s).") % {
            "amount": yen(self.amount),
            "article": self.article,
        }

    def lines(self) -> list[str]:
        """The calculation, line by line: fee used, remainder, proration rule, each month."""
        if not self.months:
            return []
        fee = _("Monthly fee: %(fee)s") % {"fee": yen(self.monthly_fee)}
        if self.fee_parts:
            fee = f"{fee} = {' + '.join(self.fee_parts)}"
        remainder = _("Rest of the minimum period: %(first)s to %(last)s (last day of service %(end)s)") % {
            "first": date_text(self.months[0].first_day),
            "last": date_text(self.minimum_period_end),
            "end": date_text(self.effective_on),
        }
        rule = (
            _("Prorated by day: fee × days ÷ days in the month, rounded down to the yen.")
            if self.prorated
            else _("Not prorated: the month of the last day is billed in full; each later month in full.")
        )
        return [fee, remainder, rule, *(self._month_line(month) for month in self.months)]

    def _month_line(self, month: RemainderMonth) -> str:
        if month.whole or not self.prorated:
            return _("%(month)s: full month, %(amount)s") % {
                "month": month_text(month.first_day),
                "amount": yen(month.amount),
            }
        return _("%(first)s to %(last)s: %(days)d of %(month_days)d days, %(amount)s") % {
            "first": date_text(month.first_day),
            "last": date_text(month.last_day),
            "days": (month.last_day - month.first_day).days + 1,
            "month_days": Month.of(month.first_day).last_day.day,
            "amount": yen(month.amount),
        }


def service_of(row) -> str:
    """The service code of a contract or of an option's contract."""
    contract = getattr(row, "contract", None)
    return (contract or row).service_id


def monthly_fee_of(row, prices: Prices | None = None) -> tuple[int, tuple[str, ...]]:
    """The monthly fee of a contract or option at ``prices`` (its frozen terms when not given), and its parts
    for an ISP Platform contract.

    ISP Platform: base + line maintenance fee × lines + bandwidth fee × 100 Mbps units (annex 1 §2).
    The bandwidth is the ``bandwidth_mbps`` annotation of ``contracts.selectors`` when present,
    otherwise the sum of the row's areas.
    """
    if prices is None:
        prices = Prices.of({name: getattr(row, name, 0) for name in ("monthly_fee", "line_fee", "bandwidth_fee")})
    base = prices.monthly_fee
    if getattr(row, "contract", None) is not None or row.service_id != ServiceCode.ISP_PLATFORM:
        return base, ()
    mbps = getattr(row, "bandwidth_mbps", None)
    if mbps is None:
        mbps = sum(area.mbps for area in row.bandwidth_areas.all())
    lines, line_fee, bandwidth_fee = row.line_count or 0, prices.line_fee, prices.bandwidth_fee
    total = isp_platform_monthly_fee(base, line_fee=line_fee, lines=lines, bandwidth_fee=bandwidth_fee, mbps=mbps)
    parts = (
        _("base %(fee)s") % {"fee": yen(base)},
        _("line maintenance %(fee)s × %(lines)d lines") % {"fee": yen(line_fee), "lines": lines},
        _("bandwidth %(fee)s × %(units)d × 100 Mbps") % {"fee": yen(bandwidth_fee), "units": mbps // MBPS_PER_UNIT},
    )
    return total, parts


def settlement_for(
    row, effective_on: date, *, reason: str | None = None, schedule: Schedule | None = None
) -> Settlement:
    """The settlement of ``row`` (a contract or an option) ending with ``effective_on`` as last day of service.

    Each remaining day counts at the price in force that day (``schedule``: the row's, read when not given).
    ``reason`` is the termination reason (the row's own when not given): abolition waives the settlement,
    general terms art. 28 ¶2/¶3 where the service's terms say so (``terms.settlement_waived``).
    """
    reason = row.termination_reason if reason is None else reason
    schedule = schedule or selectors.price_schedule(row)
    fee, parts = monthly_fee_of(row, schedule.on(effective_on))
    common = {
        "effective_on": effective_on,
        "minimum_period_end": row.min_period_end_on,
        "monthly_fee": fee,
        "fee_parts": parts,
        "prorated": bool(row.prorated),
        "article": str(SETTLEMENT_ARTICLES[service_of(row)]),
    }
    option = not isinstance(row, Contract)
    if row.abolition_id or terms.settlement_waived(reason, service_code=service_of(row), option=option):
        label = TerminationReason(TerminationReason.ABOLITION if row.abolition_id else reason).label
        return Settlement(amount=0, months=(), waived_because=str(label), **common)
    if row.min_period_end_on is None:
        return Settlement(amount=0, months=(), **common)
    steps = [(valid_from, monthly_fee_of(row, prices)[0]) for valid_from, prices in schedule.steps]
    months = tuple(remainder_months(steps, effective_on, row.min_period_end_on, prorated=bool(row.prorated)))
    return Settlement(amount=sum(month.amount for month in months), months=months, **common)


def _note(row, settlement: Settlement) -> Note:
    return Note(f"{row}: {settlement.summary()}", tuple(settlement.lines()))


def _notes_ending(row, effective_on: date, reason: str) -> list[Note]:
    """The settlement of ``row`` and of every row that ends with it (a contract's options, children
    and followers, each for the reason it ends with: a cascade is not waived, a provider-side reason is)."""
    notes = [_note(row, settlement_for(row, effective_on, reason=reason))]
    if isinstance(row, Contract):
        for ending in selectors.ending_with(contract=row, on=effective_on, reason=reason):
            notes.append(_note(ending.row, settlement_for(ending.row, effective_on, reason=ending.reason)))
    return notes


def notice_settlement_notes(objects: list, data: dict) -> list[Note]:
    """Registering a cancellation notice: the settlement as of the effective end it will compute."""
    notes = []
    for row in objects:
        if row.notice_days is None:
            continue
        effective = terms.notice_effective_date(data["received_on"], data.get("requested_on"), row.notice_days)
        notes += _notes_ending(row, effective, TerminationReason.CUSTOMER_REQUEST)
    return notes


def termination_settlement_notes(objects: list, data: dict) -> list[Note]:
    """Terminating: the settlement as of the entered end date, for the entered reason."""
    return [note for row in objects for note in _notes_ending(row, data["on"], data["reason"])]

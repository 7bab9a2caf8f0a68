"""Billing's demo data: months billed and closed, the current month open, a correction and its adjustment.

Closing leaves the invoice documents to the task worker (``scripts/serve.sh`` starts one beside the
server): the seed stays quick, and the closed months have their PDFs once the worker has run.

Each step runs only when it has not run before (a closed month is left alone; the open month is run
once), so a second ``seed_demo`` changes nothing.
"""

from datetime import date, timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import yen
from billing.closing import close_month
from billing.corrections import correct_line
from billing.models import BillingMonth, Invoice, InvoiceDocument, InvoiceLine, MonthState
from billing.run import billing_month, run_month
from billing.sources import FeeKind
from contracts import selectors
from contracts.choices import Status
from contracts.models import Contract, ContractOption
from contracts.services import lifecycle

#: Closed months, then the open month (the demo's "today" is in 2026-11).
CLOSED = ((2026, 9), (2026, 10))
OPEN = (2026, 11)


def contribute(seed: int, user) -> list[str]:
    if not BillingMonth.objects.filter(month=date(*CLOSED[-1], 1), state=MonthState.CLOSED).exists():
        _end_one_router_early(user)
    for year, month in CLOSED:
        row = billing_month(year, month, by=user)
        if not row.is_closed:
            run_month(row, by=user)
            close_month(row, by=user, issued_on=row.period.last_day + timedelta(days=1))
    current = billing_month(*OPEN, by=user)
    if not current.lines.exists():
        run_month(current, by=user)
    if not InvoiceLine.objects.filter(kind=FeeKind.ADJUSTMENT).exists():
        _correct_one_line(user)
    return _summary()


def _end_one_router_early(user) -> None:
    """A managed router cancelled in October inside its one-year minimum period: October bills its settlement."""
    received = date(2026, 8, 31)
    router = (
        selectors.managed_router_contracts()
        .filter(status=Status.ACTIVE, billing_start_on__lt=received, min_period_end_on__gt=date(2026, 12, 31))
        .order_by("number")
        .first()
    )
    if router is None:
        return
    started = timezone.now()
    lifecycle.register_notice(router, received_on=received, by=user)
    lifecycle.terminate(router, on=router.effective_end_on, by=user)
    # Its history names the demo story, as the imported rows' history does.
    note = f"demo {router.number}: 最低利用期間内の解約(調定金の例)"
    for model, rows in ((Contract, {"id": router.pk}), (ContractOption, {"contract_id": router.pk})):
        model.history.filter(history_date__gte=started, **rows).update(history_change_reason=note)


def _correct_one_line(user) -> None:
    """A monthly fee of October charged 1,000 yen too much: the adjustment lands on November's invoice."""
    line = (
        InvoiceLine.objects.filter(month__month=date(*CLOSED[-1], 1), kind=FeeKind.MONTHLY, amount__gt=1_000)
        .order_by("pk")
        .first()
    )
    if line is not None:
        correct_line(line, new_amount=line.amount - 1_000, reason="デモ:値引きの適用漏れ", by=user)


def _summary() -> list[str]:
    months = BillingMonth.objects.annotate(n=Count("invoices", distinct=True)).order_by("month")
    kinds = dict(InvoiceLine.objects.values_list("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    return [
        _("Billing months: %(months)s")
        % {
            "months": ", ".join(
                _("%(month)s %(state)s (%(count)d invoices)")
                % {"month": m, "state": m.get_state_display(), "count": m.n}
                for m in months
            )
        },
        _("Billed by kind: %(kinds)s")
        % {"kinds": ", ".join(f"{FeeKind(kind).label} {yen(total)}" for kind, total in sorted(kinds.items()))},
        _("Invoice documents: %(rendered)d of %(issued)d rendered; the task worker (run_worker) renders the rest.")
        % {
            "rendered": InvoiceDocument.objects.count(),
            "issued": Invoice.objects.filter(number__isnull=False).count(),
        },
    ]

"""Billing months (請求月): the unit the run fills and the approver closes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text, month_text
from backoffice.months import Month

from .guards import DATABASE_REFUSALS, FrozenRowsQuerySet


class MonthState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed and issued")


class BillingMonthQuerySet(FrozenRowsQuerySet):
    frozen = Q(state=MonthState.CLOSED)
    refusal = DATABASE_REFUSALS["billing_billingmonth_closed_for_good"]


class BillingMonth(models.Model):
    """One calendar month of invoices: open while the run adds lines, closed (issued) for good."""

    month = DateField(_("month"), unique=True, help_text=_("The first day of the month billed."))
    state = models.CharField(_("state"), max_length=10, choices=MonthState.choices, default=MonthState.OPEN)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True, editable=False)
    last_run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last run by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()
    objects = BillingMonthQuerySet.as_manager()

    STATE_FIELD = "state"
    #: A month's one move (``backoffice.moves``): closed once, for good.
    TRANSITIONS = {MonthState.OPEN: {MonthState.CLOSED}, MonthState.CLOSED: set()}

    class Meta:
        verbose_name = _("billing month")
        verbose_name_plural = _("billing months")
        ordering = ["-month"]
        permissions = [
            ("run_billingmonth", "Can run the billing of a month"),
            ("close_billingmonth", "Can close a billing month"),
        ]
        constraints = [
            Check(
                condition=Q(month__day=1),
                name="billing_billingmonth_first_day",
                field="month",
                violation_error_message=_("A billing month is named by its first day."),
            ),
            Check(
                condition=Q(state__in=MonthState.values),
                name="billing_billingmonth_state_valid",
                field="state",
                violation_error_message=_("Not a state of a billing month."),
            ),
            Check(
                condition=Q(state=MonthState.OPEN, closed_at__isnull=True)
                | Q(state=MonthState.CLOSED, closed_at__isnull=False),
                name="billing_billingmonth_closed_iff_closed_at",
                field="closed_at",
                violation_error_message=_("A closed month has its closing time, an open one has none."),
            ),
        ]

    def __str__(self):
        return month_text(self.month)

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        if self.pk is not None:  # a closed month stays closed, as it is
            BillingMonth.objects.filter(pk=self.pk).refuse_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        BillingMonth.objects.filter(pk=self.pk).refuse_frozen()
        return super().delete(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.state == MonthState.CLOSED

    @property
    def period(self) -> Month:
        return Month.of(self.month)

    def clean(self):
        if self.month:
            self.month = self.month.replace(day=1)
        if self.month and self._state.adding:
            self.refuse_out_of_order()

    def refuse_out_of_order(self) -> None:
        """No month opens before the last closed one: invoice numbers follow the months, and what is late
        is billed in the next open month instead."""
        closed = BillingMonth.objects.filter(state=MonthState.CLOSED).order_by("-month").first()
        if closed is not None and self.month <= closed.month:
            raise ValidationError(
                {
                    "month": _(
                        "%(month)s is not after the last closed month %(closed)s: months are billed and closed in "
                        "order; a late charge is billed in the next open month."
                    )
                    % {"month": month_text(self.month), "closed": closed}
                }
            )


class SourcesTold(models.Model):
    """A closed month whose invoiced keys every charge source has heard of (``charges_invoiced``): a
    closed month without one is told again at the next run or closing. Kept apart from the month, which
    never changes once closed."""

    month = models.OneToOneField(
        BillingMonth, on_delete=models.PROTECT, related_name="sources_told", verbose_name=_("billing month")
    )
    told_at = models.DateTimeField(_("told at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sources told")
        verbose_name_plural = _("sources told")

    def __str__(self):
        return f"{self.month} {date_text(self.told_at)}"

"""One-time fees staff charge by hand (一時費用): work the terms price "at an amount we show", not changes.

Change fees arise from accepted changes only (``ContractChange``, written by ``services.changes``);
the fees here are the others billing charges once: after-hours work, long work and travel at cost,
which only the Managed Router annex names (別紙1 §3 (2)–(4)); the other services' annexes have none.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text, yen
from backoffice.ranges import YEN

from ..choices import ServiceCode, Status


class OneTimeFeeKind(models.TextChoices):
    AFTER_HOURS = "after_hours", _("After-hours work")
    LONG_WORK = "long_work", _("Long work")
    TRAVEL = "travel", _("Travel at cost")


class OneTimeFee(models.Model):
    """A manual one-time fee of a contract, charged once by billing for the month of ``incurred_on``."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="one_time_fees", verbose_name=_("contract")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OneTimeFeeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (yen)"), validators=YEN.validators)
    incurred_on = DateField(_("date"))
    reason = models.TextField(_("reason"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-time fee")
        verbose_name_plural = _("one-time fees")
        ordering = ["-incurred_on", "-id"]
        constraints = [
            Check(
                condition=Q(kind__in=OneTimeFeeKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of one-time fee."),
            ),
            Check(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_has_reason",
                field="reason",
                violation_error_message=_("A one-time fee needs a reason."),
            ),
            YEN.constraint("amount"),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.get_kind_display()} {yen(self.amount)}"

    def clean(self):
        """A fee needs a reason and falls on a Managed Router contract (annex 1 §3 (2)–(4)) that was accepted,
        on or after its acceptance."""
        if not self.reason.strip():
            raise ValidationError({"reason": _("A one-time fee needs a reason.")})
        if not self.contract_id:
            return
        if self.contract.service_id != ServiceCode.MANAGED_ROUTER:
            raise ValidationError(
                {
                    "contract": _(
                        "After-hours work, long work and travel are charged on Managed Router contracts only "
                        "(Managed Router annex 1 §3 (2)–(4)); the other services' terms name no such fee."
                    )
                }
            )
        if not self.incurred_on:
            return
        accepted_on = self.contract.accepted_on
        if self.contract.status in (Status.APPLIED, Status.WITHDRAWN) or accepted_on is None:
            raise ValidationError({"contract": _("A one-time fee is charged only on an accepted contract.")})
        if self.incurred_on < accepted_on:
            raise ValidationError(
                {
                    "incurred_on": _("The fee cannot fall before the contract was accepted (%(date)s).")
                    % {"date": date_text(accepted_on)}
                }
            )

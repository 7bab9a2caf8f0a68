"""Usage and traffic: the provider's requests for usage reports and the customer's replies (ISP Platform
art. 15), the traffic measurements and the change proposals made from them (CXM2 art. 15, ISP Platform art. 14)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text
from backoffice.ranges import Range
from contracts.choices import ServiceCode

from .base import ContractRecord

#: Measured traffic in Mbps: up to 1,000 Gbps.
MBPS = Range(0, 1_000_000)


class UsageReportRequest(ContractRecord):
    """A request for a report on the use of the service, and the customer's reply (ISP Platform art. 15)."""

    services = (ServiceCode.ISP_PLATFORM,)
    kept_on = _("ISP Platform contracts")
    article = _("ISP Platform art. 15")

    requested_on = DateField(_("requested on"))
    requested = models.TextField(_("what is asked"))
    replied_on = DateField(_("replied on"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usage report request")
        verbose_name_plural = _("usage report requests")
        ordering = ["-requested_on", "-id"]
        constraints = [
            Check(
                condition=~Q(requested=""),
                name="%(app_label)s_%(class)s_says_what",
                field="requested",
                violation_error_message=_("Say what is asked (ISP Platform art. 15)."),
            ),
            Check(
                condition=Q(replied_on__isnull=True, reply="")
                | (Q(replied_on__isnull=False, replied_on__gte=F("requested_on")) & ~Q(reply="")),
                name="%(app_label)s_%(class)s_reply_with_its_day",
                field="reply",
                violation_error_message=_("A reply has its day, on or after the request, and only a reply has one."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {date_text(self.requested_on)}"


class TrafficMeasurement(ContractRecord):
    """Traffic measured over a period (CXM2 art. 15, ISP Platform art. 14), and the change of contract proposed
    when it shows the bandwidth is tight, which the customer agreed to in advance."""

    services = (ServiceCode.CXM2, ServiceCode.ISP_PLATFORM)
    kept_on = _("CXM2 and ISP Platform contracts")
    article = _("CXM2 art. 15, ISP Platform art. 14")

    measured_from = DateField(_("measured from"))
    measured_until = DateField(_("measured until"))
    peak_mbps = models.PositiveIntegerField(_("peak (Mbps)"), validators=MBPS.validators)
    tight = models.BooleanField(_("bandwidth tight"), default=False)
    proposed_on = DateField(_("change proposed on"), null=True, blank=True)
    proposal = models.TextField(_("change proposed"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("traffic measurement")
        verbose_name_plural = _("traffic measurements")
        ordering = ["-measured_until", "-id"]
        constraints = [
            Check(
                condition=Q(measured_until__gte=F("measured_from")),
                name="%(app_label)s_%(class)s_period",
                field="measured_until",
                violation_error_message=_("A measurement ends on or after it starts."),
            ),
            MBPS.constraint("peak_mbps"),
            Check(
                condition=Q(proposed_on__isnull=True, proposal="") | (Q(proposed_on__isnull=False) & ~Q(proposal="")),
                name="%(app_label)s_%(class)s_proposal_with_its_day",
                field="proposal",
                violation_error_message=_("A proposal has its day, and only a proposal has one."),
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {date_text(self.measured_from)}–{date_text(self.measured_until)}"

    def clean(self):
        """A change is proposed from a measurement that shows the bandwidth tight, after it (art. 15 / art. 14)."""
        super().clean()
        if self.proposed_on and not self.tight:
            raise ValidationError(
                {
                    "tight": _("A change is proposed when the measurement shows the bandwidth tight (%(article)s).")
                    % {"article": self.article}
                }
            )
        if self.proposed_on and self.measured_until and self.proposed_on < self.measured_until:
            raise ValidationError({"proposed_on": _("A change is proposed after the measurement.")})

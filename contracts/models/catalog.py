"""The catalog: services, their items and option kinds, with the numbers the rules need.

List prices are "amounts we separately show the customer" (当社が別途契約者に示す金額): staff edit
them here, and a contract copies them when it is accepted, so later edits never reach it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.guards import refuse_by_guards
from backoffice.ranges import YEN

from ..catalog_data import CONTRACT_NOTICE, OPTION_NOTICE
from ..choices import BypassPlan, ItemRole, ServiceCode
from .ranges import MONTHS, NOTICE_DAYS, RANK


def localized(name_ja: str, name_en: str) -> str:
    """Of a catalog entry's two names, the one of the active language (Japanese unless English is chosen)."""
    return name_en if (get_language() or "ja").startswith("en") else name_ja


class Named(models.Model):
    """Japanese and English names; ``name`` follows the active language."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_ja, self.name_en)


class Priced(models.Model):
    """List prices in whole yen and the terms a contract freezes when it is accepted.

    Notice days are a term, not a price: they follow the notice table of the catalog
    (``catalog_data.CONTRACT_NOTICE`` / ``OPTION_NOTICE``), the one place that also names the article.
    """

    #: The notice table this row's notice days come from.
    notice_table: dict = CONTRACT_NOTICE

    min_months = models.PositiveSmallIntegerField(_("minimum period (months)"), default=0, validators=MONTHS.validators)
    notice_days = models.PositiveSmallIntegerField(_("notice days"), default=30, validators=NOTICE_DAYS.validators)
    prorated = models.BooleanField(_("prorated by day"), default=True)
    initial_fee = models.PositiveBigIntegerField(_("initial fee (yen)"), default=0, validators=YEN.validators)
    monthly_fee = models.PositiveBigIntegerField(_("monthly fee (yen)"), default=0, validators=YEN.validators)
    change_fee = models.PositiveBigIntegerField(_("change fee (yen)"), default=0, validators=YEN.validators)
    abolished_on = DateField(_("abolished on"), null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        notice = self.notice_table.get(self.service_id)
        if notice:
            self.notice_days = notice.days
        super().save(*args, **kwargs)

    def clean(self):
        """A fee its annex fixes (e.g. 0円 for CXM2's firewall integration) cannot be listed at another amount
        (``contracts.rules.fixed_fees``)."""
        super().clean()
        refuse_by_guards(self)

    @staticmethod
    def price_constraints(*yen_fields: str) -> list[Check]:
        """The ranges of the terms and prices (and of ``yen_fields``, the model's own amounts)."""
        numbers = {"min_months": MONTHS, "notice_days": NOTICE_DAYS}
        numbers.update(dict.fromkeys(("initial_fee", "monthly_fee", "change_fee", *yen_fields), YEN))
        return [limits.constraint(field) for field, limits in numbers.items()]


class Service(Named):
    code = models.CharField(_("code"), max_length=20, primary_key=True, choices=ServiceCode.choices)
    terms_as_of = DateField(_("terms as of"))
    abolished_on = DateField(_("abolished on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["code"]


class Item(Named, Priced):
    """A contractable item (品目) of a service, or a Cloud Proxy parent/child kind's item."""

    code = models.CharField(_("code"), max_length=60, primary_key=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="items", verbose_name=_("service"))
    role = models.CharField(_("role"), max_length=10, choices=ItemRole.choices, default=ItemRole.BASE)
    plan = models.CharField(_("plan"), max_length=10, choices=BypassPlan.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0, validators=RANK.validators)
    line_fee = models.PositiveBigIntegerField(
        _("line maintenance fee per line (yen)"),
        default=0,
        validators=YEN.validators,
        help_text=_("ISP Platform only."),
    )
    bandwidth_fee = models.PositiveBigIntegerField(
        _("bandwidth fee per 100 Mbps (yen)"),
        default=0,
        validators=YEN.validators,
        help_text=_("ISP Platform only."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["service", "rank", "code"]
        constraints = [
            Check(
                condition=Q(role__in=ItemRole.values),
                name="%(app_label)s_%(class)s_role_valid",
                field="role",
                violation_error_message=_("Not a role of an item."),
            ),
            Check(
                condition=(Q(role=ItemRole.BYPASS) & ~Q(plan="")) | (~Q(role=ItemRole.BYPASS) & Q(plan="")),
                name="%(app_label)s_%(class)s_plan_iff_bypass",
                field="plan",
                violation_error_message=_(
                    "A cloud bypass item has a plan; other items have none (Cloud Proxy art. 2)."
                ),
            ),
            *Priced.price_constraints("line_fee", "bandwidth_fee"),
            RANK.constraint("rank"),
        ]


class OptionKind(Named, Priced):
    """An option service (オプションサービス) of a service."""

    notice_table = OPTION_NOTICE

    code = models.CharField(_("code"), max_length=60, primary_key=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="option_kinds", verbose_name=_("service")
    )
    rank = models.PositiveSmallIntegerField(_("order"), default=0, validators=RANK.validators)
    cancellation_fee = models.PositiveBigIntegerField(
        _("cancellation fee per unit (yen)"),
        default=0,
        validators=YEN.validators,
        help_text=_("ISP Platform router rental only."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("option kind")
        verbose_name_plural = _("option kinds")
        ordering = ["service", "rank", "code"]
        constraints = [*Priced.price_constraints("cancellation_fee"), RANK.constraint("rank")]

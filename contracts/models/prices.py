"""Prices in force from a day on (適用料金): what a contract or option costs after its acceptance.

The terms frozen at acceptance (``Lifecycle.FROZEN_TERMS``) are the price from the start. The annexes
price the monthly fee by the contract's content (CXM2 別紙2 2.(1), Cloud Proxy 別紙1 2.(1), ISP Platform
別紙1 2.(1)), so an accepted item change brings the new item's prices from the day it takes effect, and a
price agreed later holds from the day agreed. Each such price is a row here, a complete set of the
components, valid until the next row of the same contract or option. The first row written for one also
keeps the acceptance terms as a row of its own (``ACCEPTANCE``), so the item and prices of every day can be
read from this table once it has rows; without any row, the frozen terms and the current item hold.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.display import date_text
from backoffice.ranges import YEN

from ..choices import PriceOrigin
from .catalog import Item
from .change import ContractChange
from .contract import Contract
from .option import ContractOption


class DatedPrice(models.Model):
    """The prices of a contract (``option`` empty) or of one of its options from ``valid_from`` on."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="dated_prices", verbose_name=_("contract")
    )
    option = models.ForeignKey(
        ContractOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dated_prices",
        verbose_name=_("option"),
    )
    valid_from = DateField(_("valid from"))
    origin = models.CharField(_("origin"), max_length=12, choices=PriceOrigin.choices)
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
        help_text=_("A contract's item in force from this day."),
    )
    change = models.ForeignKey(
        ContractChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("change"),
    )
    monthly_fee = models.PositiveBigIntegerField(_("monthly fee (yen)"), validators=YEN.validators)
    change_fee = models.PositiveBigIntegerField(_("change fee (yen)"), validators=YEN.validators)
    line_fee = models.PositiveBigIntegerField(
        _("line maintenance fee per line (yen)"), null=True, blank=True, validators=YEN.validators
    )
    bandwidth_fee = models.PositiveBigIntegerField(
        _("bandwidth fee per 100 Mbps (yen)"), null=True, blank=True, validators=YEN.validators
    )
    cancellation_fee = models.PositiveBigIntegerField(
        _("cancellation fee per unit (yen)"), null=True, blank=True, validators=YEN.validators
    )
    retroactive = models.BooleanField(
        _("retroactive"), default=False, help_text=_("Agreed on purpose for days of months already closed.")
    )
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price in force")
        verbose_name_plural = _("prices in force")
        ordering = ["contract", "option", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "valid_from"],
                condition=Q(option__isnull=True),
                name="contracts_datedprice_one_contract_price_a_day",
                violation_error_message=_("The contract already has a price from that day."),
            ),
            models.UniqueConstraint(
                fields=["option", "valid_from"],
                condition=Q(option__isnull=False),
                name="contracts_datedprice_one_option_price_a_day",
                violation_error_message=_("The option already has a price from that day."),
            ),
            Check(
                condition=Q(option__isnull=True, item__isnull=False) | Q(option__isnull=False, item__isnull=True),
                name="contracts_datedprice_item_of_contract_only",
                field="item",
                violation_error_message=_("A contract's price names its item; an option's names none."),
            ),
            Check(
                condition=Q(origin__in=PriceOrigin.values),
                name="contracts_datedprice_origin_valid",
                field="origin",
                violation_error_message=_("Not an origin of a price."),
            ),
            *(
                YEN.constraint(name)
                for name in ("monthly_fee", "change_fee", "line_fee", "bandwidth_fee", "cancellation_fee")
            ),
        ]

    def __str__(self):
        owner = self.option if self.option_id else self.contract
        return f"{owner} {date_text(self.valid_from)}"

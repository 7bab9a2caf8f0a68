"""Customers (契約者) and the prerequisite contracts they hold with us (関連契約)."""

import re
from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.contacts import PhoneField, PostalCodeField
from backoffice.dates import DateField
from backoffice.guards import refuse_by_guards
from backoffice.readings import ReadingField, ReadingKeyField

from .choices import CustomerKind, CustomerStatus, RelatedKind

#: A customer number of a series: letters, then a zero-padded number (D00030, K0001).
SERIES = re.compile(r"([A-Za-z]*)([0-9]+)")
#: The first customer number, when no customer has one of a series yet.
FIRST_CODE = "C00001"


def next_customer_code() -> str:
    """The number proposed for a new customer: the next of the series the newest customer's number belongs to
    (D00030 → D00031, K0001 → K0002), after the highest number of that series; ``FIRST_CODE`` for the first.
    Two staff adding customers at once are told the second number is taken (the unique constraint)."""
    newest = Customer.objects.order_by("-pk").values_list("code", flat=True)[:100]
    series = next((match for code in newest if (match := SERIES.fullmatch(code))), None)
    if series is None:
        return FIRST_CODE
    prefix, width = series[1], len(series[2])
    same = Customer.objects.filter(code__startswith=prefix, code__regex=rf"^{re.escape(prefix)}[0-9]{{{width}}}$")
    number = int(same.order_by("-code").values_list("code", flat=True)[0].removeprefix(prefix)) + 1
    while Customer.objects.filter(code=(code := f"{prefix}{number:0{width}d}")).exists():
        number += 1
    return code


class Customer(models.Model):
    code = models.CharField(_("customer number"), max_length=20, unique=True)
    kind = models.CharField(_("customer type"), max_length=12, choices=CustomerKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_kana = ReadingField(
        _("name (kana)"), max_length=200, blank=True, help_text=_("Hiragana or katakana; kept in katakana.")
    )
    name_kana_key = ReadingKeyField(_("name (kana) as searched"), max_length=200, source="name_kana")
    postal_code = PostalCodeField(_("postal code"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    billing_address = models.CharField(
        _("billing address"), max_length=300, blank=True, help_text=_("Leave empty to bill the main address.")
    )
    failure_contact_name = models.CharField(_("failure contact"), max_length=100, blank=True)
    failure_contact_phone = PhoneField(_("failure contact phone"), max_length=30, blank=True)
    failure_contact_email = models.EmailField(_("failure contact e-mail"), blank=True)
    billing_contact_name = models.CharField(_("billing contact"), max_length=100, blank=True)
    billing_contact_phone = PhoneField(_("billing contact phone"), max_length=30, blank=True)
    billing_contact_email = models.EmailField(_("billing contact e-mail"), blank=True)
    invoice_by_post = models.BooleanField(
        _("invoices by post"),
        default=False,
        help_text=_("The customer asked for paper invoices: they are printed and posted, not e-mailed."),
    )
    status = models.CharField(_("status"), max_length=12, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE)
    corporate_equivalent = models.TextField(
        _("recognised as equivalent to a corporation"),
        blank=True,
        help_text=_(
            "An individual-type customer we recognise as equivalent to a corporation: why, and when "
            "(ISP Platform art. 4 ¶1 「法人に相当するものと当社が認めるもの」)."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        constraints = [
            Check(
                condition=Q(kind__in=CustomerKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a customer type."),
            ),
            Check(
                condition=Q(status__in=CustomerStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a customer status."),
            ),
            Check(
                condition=Q(kind=CustomerKind.INDIVIDUAL) | Q(corporate_equivalent=""),
                name="%(app_label)s_%(class)s_equivalent_of_individuals_only",
                field="corporate_equivalent",
                violation_error_message=_(
                    "Only a customer that is not a corporation is recognised as equivalent to one (ISP Platform "
                    "art. 4 ¶1)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("admin:customers_customer_change", args=[self.pk])

    @property
    def is_corporate(self) -> bool:
        return self.kind == CustomerKind.CORPORATE

    @property
    def counts_as_corporate(self) -> bool:
        """A corporation, or a customer we recognise as equivalent to one (ISP Platform art. 4 ¶1)."""
        return self.is_corporate or bool(self.corporate_equivalent.strip())

    def clean(self):
        """The guards other apps put on a customer (e.g. contracts: ISP Platform art. 4)."""
        refuse_by_guards(self)


class RelatedContractQuerySet(models.QuerySet):
    def live_on(self, day: date):
        """Related contracts formed on or before ``day`` and not ended before it."""
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class RelatedContract(models.Model):
    """A contract for a prerequisite service, kept only as far as the five terms need it."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="related_contracts", verbose_name=_("customer")
    )
    kind = models.CharField(_("service"), max_length=20, choices=RelatedKind.choices)
    reference = models.CharField(_("contract reference"), max_length=40, blank=True)
    started_on = DateField(_("formed on"))
    ended_on = DateField(_("ended on"), null=True, blank=True)
    closed_network = models.CharField(
        _("closed network id"), max_length=40, blank=True, help_text=_("Private Backbone only (閉域網).")
    )
    firewall_item = models.CharField(
        _("firewall item"), max_length=20, blank=True, help_text=_("Managed Firewall only, e.g. M/CXE.")
    )
    isp_business = models.BooleanField(
        _("used for ISP business"), default=False, help_text=_("Internet connectivity only (プロバイダ事業).")
    )

    history = HistoricalRecords()
    objects = RelatedContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("related contract")
        verbose_name_plural = _("related contracts")
        ordering = ["customer", "kind", "started_on"]
        permissions = [("end_relatedcontract", "Can end a related contract")]
        constraints = [
            Check(
                condition=Q(kind__in=RelatedKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of related contract."),
            ),
            Check(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                field="ended_on",
                violation_error_message=_("The end date cannot be before the date the contract was formed."),
            ),
            Check(
                condition=~Q(kind=RelatedKind.PBB) | Q(closed_network__gt=""),
                name="%(app_label)s_%(class)s_pbb_has_closed_network",
                field="closed_network",
                violation_error_message=_("A Private Backbone contract needs its closed network id."),
            ),
            Check(
                condition=Q(kind=RelatedKind.PBB) | Q(closed_network=""),
                name="%(app_label)s_%(class)s_closed_network_only_pbb",
                field="closed_network",
                violation_error_message=_("Only a Private Backbone contract has a closed network id."),
            ),
            Check(
                condition=~Q(kind=RelatedKind.MANAGED_FIREWALL) | Q(firewall_item__gt=""),
                name="%(app_label)s_%(class)s_firewall_has_item",
                field="firewall_item",
                violation_error_message=_("A Managed Firewall contract needs its item."),
            ),
            Check(
                condition=Q(kind=RelatedKind.MANAGED_FIREWALL) | Q(firewall_item=""),
                name="%(app_label)s_%(class)s_firewall_item_only_firewall",
                field="firewall_item",
                violation_error_message=_("Only a Managed Firewall contract has a firewall item."),
            ),
            Check(
                condition=Q(kind=RelatedKind.CONNECTIVITY) | Q(isp_business=False),
                name="%(app_label)s_%(class)s_isp_business_only_connectivity",
                field="isp_business",
                violation_error_message=_("Only an internet connectivity contract can be used for an ISP business."),
            ),
        ]

    def __str__(self):
        """The kind always (two kinds look alike by reference alone), then the reference."""
        label = f"{self.get_kind_display()} {self.reference}".strip()
        return f"{label} ({self.customer.code})"

    def in_force_on(self, day: date) -> bool:
        """Whether this contract is in force on ``day``: the test of ``live_on``, on a row already read."""
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    def clean(self):
        """The guards of the apps that depend on the row (which attributes belong to its kind are constraints)."""
        refuse_by_guards(self)

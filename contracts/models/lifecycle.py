"""Lifecycle fields shared by contracts and options.

Dates are entered by staff through the lifecycle service; the effective end and the
minimum-period end are computed there from the terms frozen at acceptance.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager

from backoffice.constraints import Check
from backoffice.dates import DateField
from backoffice.ranges import YEN

from ..choices import Status, TerminationReason
from .ranges import MONTHS, NOTICE_DAYS

#: Each lifecycle action has its own permission, ``<action>_<model>`` (``accept_contract``): roles
#: differ in what they may move (``contracts/roles.py``), and plain "change" would allow them all.
LIFECYCLE_ACTIONS = {
    "accept": "accept the application of",
    "withdraw": "withdraw the application of",
    "start_billing": "start billing",
    "register_notice": "register or withdraw a cancellation notice of",
    "terminate": "terminate",
    "override_terms": "override the frozen terms of",
    "accept_change": "accept a change of",
}


class LifecycleHistoryManager(HistoryManager):
    """simple-history's manager of a row's history, its class built once: simple-history builds it anew
    on every ``row.history``, which each save reads to write its history row (a tenth of an import)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class Lifecycle(models.Model):
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    applied_on = DateField(_("applied on"))
    accepted_on = DateField(_("accepted on"), null=True, blank=True)
    billing_start_on = DateField(_("billing start"), null=True, blank=True)
    min_period_start_on = DateField(
        _("minimum period starts"),
        null=True,
        blank=True,
        help_text=_("The billing start, unless restarted by a change (Managed Router art. 5 ¶3 ¶4)."),
    )
    min_period_end_on = DateField(_("minimum period ends"), null=True, blank=True, editable=False)
    notice_received_on = DateField(_("cancellation notice received"), null=True, blank=True)
    requested_end_on = DateField(_("requested end"), null=True, blank=True)
    effective_end_on = DateField(_("effective end"), null=True, blank=True, editable=False)
    terminated_on = DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(
        _("termination reason"), max_length=20, choices=TerminationReason.choices, blank=True
    )
    abolition = models.ForeignKey(
        "contracts.Abolition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abolition"),
        editable=False,
    )
    # Terms frozen at acceptance: later catalog edits never rewrite an existing contract.
    min_months = models.PositiveSmallIntegerField(
        _("minimum period (months)"), null=True, blank=True, validators=MONTHS.validators
    )
    notice_days = models.PositiveSmallIntegerField(
        _("notice days"), null=True, blank=True, validators=NOTICE_DAYS.validators
    )
    prorated = models.BooleanField(_("prorated by day"), null=True, blank=True)
    initial_fee = models.PositiveBigIntegerField(
        _("initial fee (yen)"), null=True, blank=True, validators=YEN.validators
    )
    monthly_fee = models.PositiveBigIntegerField(
        _("monthly fee (yen)"), null=True, blank=True, validators=YEN.validators
    )
    change_fee = models.PositiveBigIntegerField(_("change fee (yen)"), null=True, blank=True, validators=YEN.validators)
    note = models.TextField(_("note"), blank=True)

    #: The price snapshot taken at acceptance: every term billing and the services read from the row,
    #: named as on the catalog entry it is copied from. Subclasses add their own components.
    FROZEN_TERMS: tuple[str, ...] = (
        "min_months",
        "notice_days",
        "prorated",
        "initial_fee",
        "monthly_fee",
        "change_fee",
    )

    class Meta:
        abstract = True

    @classmethod
    def lifecycle_permissions(cls, model_name: str, noun: str) -> list[tuple[str, str]]:
        """The Meta permissions of the lifecycle actions for one model (``noun``: "a contract")."""
        return [(f"{action}_{model_name}", f"Can {text} {noun}") for action, text in LIFECYCLE_ACTIONS.items()]

    @classmethod
    def lifecycle_constraints(cls, prefix: str, frozen_terms: tuple[str, ...]) -> list[models.BaseConstraint]:
        """Named constraints that keep the lifecycle dates consistent, whoever writes the row."""
        frozen = Q(**{f"{name}__isnull": False for name in frozen_terms})
        return [
            Check(
                condition=Q(status__in=Status.values),
                name=f"{prefix}_status_valid",
                field="status",
                violation_error_message=_("Not a status of the lifecycle."),
            ),
            Check(
                condition=Q(status__in=[Status.APPLIED, Status.WITHDRAWN]) | (Q(accepted_on__isnull=False) & frozen),
                name=f"{prefix}_accepted_has_terms",
                field="accepted_on",
                violation_error_message=_(
                    "Once accepted, a contract or option has its acceptance date and the terms frozen on it "
                    "(minimum period, notice days, proration, fees)."
                ),
            ),
            Check(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("applied_on")),
                name=f"{prefix}_accepted_after_applied",
                field="accepted_on",
                violation_error_message=_("The acceptance date cannot be before the application date."),
            ),
            Check(
                condition=Q(billing_start_on__isnull=True) | Q(billing_start_on__gte=F("accepted_on")),
                name=f"{prefix}_billing_after_accepted",
                field="billing_start_on",
                violation_error_message=_("Billing cannot start before the acceptance date."),
            ),
            Check(
                condition=~Q(status=Status.ACTIVE) | Q(billing_start_on__isnull=False),
                name=f"{prefix}_active_is_billed",
                field="billing_start_on",
                violation_error_message=_("A contract or option in service has its billing start date."),
            ),
            Check(
                condition=~Q(status=Status.CANCELLING)
                | Q(notice_received_on__isnull=False, effective_end_on__isnull=False),
                name=f"{prefix}_cancelling_has_notice",
                field="notice_received_on",
                violation_error_message=_("A pending cancellation has its notice date and its effective end."),
            ),
            Check(
                condition=Q(status=Status.TERMINATED, terminated_on__isnull=False) & ~Q(termination_reason="")
                | (~Q(status=Status.TERMINATED) & Q(terminated_on__isnull=True, termination_reason="")),
                name=f"{prefix}_terminated_iff_reason",
                field="terminated_on",
                violation_error_message=_(
                    "A terminated contract or option has its end date and reason; any other has neither."
                ),
            ),
            Check(
                condition=Q(termination_reason="") | Q(termination_reason__in=TerminationReason.values),
                name=f"{prefix}_reason_valid",
                field="termination_reason",
                violation_error_message=_("Not a termination reason."),
            ),
            MONTHS.constraint("min_months"),
            NOTICE_DAYS.constraint("notice_days"),
            *(YEN.constraint(name) for name in frozen_terms if name.endswith("_fee")),
        ]

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True, *, trusted=None):
        """Django's checks; with ``trusted`` (``contracts.trusted.Trusted``, the import's) a related row the
        object holds saved is not read again, and the unique values the caller leaves to the database are not
        looked up. Every other check runs, and the errors gather, as in Django's own."""
        if trusted is None:
            return super().full_clean(exclude, validate_unique, validate_constraints)
        unique = not trusted.leaves_unique_to_database(self)
        errors, exclude = {}, set(exclude or ())
        checks = [lambda: self.clean_fields(exclude | trusted.saved_relations(self)), self.clean]
        if validate_unique and unique:
            checks.append(lambda: self.validate_unique(exclude))
        if validate_constraints:
            checks.append(lambda: (self.validate_constraints if unique else self._validate_checks)(exclude))
        for check in checks:
            try:
                check()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            exclude |= errors.keys() - {NON_FIELD_ERRORS}  # a later check only on the fields that passed
        if errors:
            raise ValidationError(errors)

    def _validate_checks(self, exclude) -> None:
        """Django's ``validate_constraints`` but for the unique constraints."""
        using, errors = router.db_for_write(type(self), instance=self), {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.UniqueConstraint):
                    continue
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.status in (Status.ACCEPTED, Status.ACTIVE, Status.CANCELLING)

    def catalog_entry(self):
        """The catalog row (item or option kind) whose terms this row freezes on acceptance."""
        raise NotImplementedError

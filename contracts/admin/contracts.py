"""Contracts, options, their change records and ISP bandwidth areas.

Status, lifecycle dates and the terms frozen at acceptance are read-only here: they change only
through the actions (``actions.py``), which call ``services.lifecycle``. Editing the tracked
attributes of a live contract or option is a change of contract: it goes through
``services.changes.accept_change`` so the one-time fee is recorded, and needs its own permission
(``accept_change_<model>``): without it, a live row's attributes are read-only like an ended one's.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin, Inline, admin_link, count_of, permission_name
from backoffice.display import date_text, yen

from ..choices import LIVE_STATUSES, OPEN_STATUSES, ServiceCode, Status
from ..importer import job as import_job
from ..models import (
    CONTRACT_TRACKED,
    OPTION_TRACKED,
    BandwidthArea,
    Contract,
    ContractChange,
    ContractOption,
    DatedPrice,
    Item,
    OptionKind,
)
from ..models.option import OPTION_ATTRIBUTES, SERVICE_OPTION_ATTRIBUTES
from ..models.service_attributes import ATTRIBUTES, SERVICE_ATTRIBUTES, fields_of
from ..prices import first_month_billed, price_line
from ..rules.isp_platform import require_areas
from ..rules.queries import saved_differences
from ..selectors import price_schedule
from ..services.areas import change_areas, check_area_change, dated_change_needed
from ..services.changes import accept_change
from . import imports
from .actions import CONTRACTS_NEEDED_FIRST, lifecycle_actions
from .forms import BandwidthAreaForm, ContractForm, LifecycleForm, OptionForm, contract_service

LIFECYCLE_FIELDSET = (
    gettext_lazy("Lifecycle (changed by the actions)"),
    {
        "fields": (
            "status",
            ("accepted_on", "billing_start_on"),
            ("min_period_start_on", "min_period_end_on"),
            ("notice_received_on", "requested_end_on", "effective_end_on"),
            ("terminated_on", "termination_reason", "abolition"),
        )
    },
)


def lifecycle_fieldsets(model) -> tuple:
    """The lifecycle, the model's price snapshot and the prices in force since, read-only: they change
    through the actions and accepted changes."""
    return (
        LIFECYCLE_FIELDSET,
        (gettext_lazy("Terms frozen at acceptance"), {"fields": model.FROZEN_TERMS}),
        (gettext_lazy("Prices in force"), {"fields": ("prices_in_force",)}),
    )


LIFECYCLE_DATE_FILTERS = (
    ("billing_start_on", admin.DateFieldListFilter),
    ("effective_end_on", admin.DateFieldListFilter),
)
CHANGE_FIELDSET = (gettext_lazy("Change of contract"), {"fields": ("change_accepted_on", "change_monthly_fee")})


@admin.display(description=gettext_lazy("customer"), ordering="customer__code")
def customer_column(obj):
    return admin_link(obj.customer)


class LifecycleAdmin(HistoryAdmin):
    """What contracts and options share: read-only lifecycle, actions, changes through the service."""

    tracked: tuple[str, ...] = ()
    #: Exported with the list's columns: the key dates and the agreed amounts.
    export_extra = (
        "accepted_on",
        "min_period_end_on",
        "terminated_on",
        "termination_reason",
        "initial_fee",
        "monthly_fee",
    )
    #: Fields set on creation that stay fixed afterwards (a foreign key shows as a link).
    fixed_once_saved: tuple[str, ...] = ()
    #: The fieldsets of the row's own attributes (the lifecycle ones are added after them).
    attribute_fieldsets: tuple = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = flatten_fieldsets(lifecycle_fieldsets(self.model))
        if obj is not None:
            readonly.extend(self.fixed_once_saved)
            if obj.status != Status.APPLIED:
                readonly.append("applied_on")
            if obj.status not in OPEN_STATUSES or (obj.is_live and not self.may_accept_change(request)):
                # An ended or withdrawn row is a record, and a live one changes only as a change of
                # contract: only its note stays editable.
                attributes = flatten_fieldsets(self.attribute_fieldsets_of(obj))
                readonly.extend(name for name in attributes if name != "note" and name not in readonly)
        return readonly

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.attribute_fieldsets
        extra = (CHANGE_FIELDSET,) if obj.is_live and self.may_accept_change(request) else ()
        return (*self.attribute_fieldsets_of(obj), *extra, *lifecycle_fieldsets(self.model))

    def get_urls(self):
        page = self.admin_site.admin_view(lambda request: imports.import_page(self, request))
        return [path("import/", page, name="contracts_contract_import"), *super().get_urls()]

    def attribute_fieldsets_of(self, obj):
        return self.attribute_fieldsets

    def may_accept_change(self, request) -> bool:
        return request.user.has_perm(permission_name("accept_change", self.opts))

    @admin.display(description=gettext_lazy("prices in force"))
    def prices_in_force(self, obj):
        """Each price of the row's schedule from its first day: the item and monthly fee staff agreed."""
        if obj is None or obj.accepted_on is None:
            return "—"
        schedule = price_schedule(obj)
        lines = [price_line(prices, since=obj.accepted_on) for prices in schedule.agreed]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def save_model(self, request, obj, form, change):
        """A live row's tracked attributes change through ``accept_change``; its other fields save as usual."""
        if not (change and obj.is_live and saved_differences(obj, self.tracked)):
            super().save_model(request, obj, form, change)
            return
        edited = self._changed_values(obj, form)
        tracked = {name: value for name, value in edited.items() if name in self.tracked}
        on = form.cleaned_data.get("change_accepted_on") or timezone.localdate()
        before = price_schedule(obj).on(on)
        agreed = {"monthly_fee": form.cleaned_data.get("change_monthly_fee")}
        records = accept_change(obj, on=on, by=request.user, prices=agreed, **tracked)  # reloads obj
        after = price_schedule(obj).on(on)
        self.message_user(
            request,
            _("Change accepted on %(date)s: %(count)d change(s) recorded, one-time fee %(fee)s.")
            % {"date": date_text(on), "count": len(records), "fee": yen(sum(record.fee for record in records))},
            messages.SUCCESS,
        )
        if after.monthly_fee != before.monthly_fee:
            self.message_user(
                request,
                _("Monthly fee %(before)s → %(after)s from %(date)s; first month billed at the new price: %(first)s.")
                % {
                    "before": yen(before.monthly_fee),
                    "after": yen(after.monthly_fee),
                    "date": date_text(on),
                    "first": first_month_billed(obj.prorated, on),
                },
                messages.INFO,
            )
        rest = {name: value for name, value in edited.items() if name not in self.tracked}
        if rest:
            for name, value in rest.items():
                setattr(obj, name, value)
            super().save_model(request, obj, form, change)

    @staticmethod
    def _changed_values(obj, form) -> dict:
        """The edited model fields, by attribute name (``item_id``), with their new values."""
        values = {}
        for name in form.changed_data:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            values[field.attname] = getattr(obj, field.attname)
        return values


class OptionInline(Inline):
    """The contract's options, read-only: each links to its own page, where its actions run."""

    model = ContractOption
    fields = ("kind", "status", "applied_on", "billing_start_on", "min_period_end_on", "effective_end_on")
    readonly_fields = fields
    show_change_link = True
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        """View-only: its rows are not validated with the edited contract (an option rule would
        refuse a field the inline does not have, a server error, instead of the contract's own refusal)."""
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contract", "kind")


class BandwidthAreaFormSet(BaseInlineFormSet):
    """The areas on the contract's page. Those of an accepted contract change as a change accepted on the
    page's "change accepted on" (empty: today), through ``services.areas`` (see ``ContractAdmin.save_formset``)."""

    def limits(self) -> dict[str, int]:
        """The areas the edit keeps, with their upper limits."""
        kept = (f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE"))
        return {data["area"]: data.get("mbps") for data in kept if data.get("area")}

    def accepted_on(self):
        """The day the page's change is accepted on, read from the same request (None when mistyped: the
        contract's form says so)."""
        try:
            return LifecycleForm.base_fields["change_accepted_on"].clean(self.data.get("change_accepted_on"))
        except ValidationError:
            return None

    def clean(self):
        """Removing the last area of a live bandwidth-limited contract is refused (ISP Platform art. 1); an
        accepted contract's edit is a dated change that may not rewrite a later one (``check_area_change``)."""
        super().clean()
        try:
            require_areas(self.instance, len(self.limits()))
            if dated_change_needed(self.instance) and self.has_changed() and not any(self.errors):
                check_area_change(self.instance, self.accepted_on() or timezone.localdate())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class BandwidthAreaInline(admin.TabularInline):
    model = BandwidthArea
    formset = BandwidthAreaFormSet
    extra = 0
    fields = ("area", "mbps")

    def _editable(self, request, obj) -> bool:
        """The areas of an ended or withdrawn contract are a record, shown but not edited; those of a live one
        change as a change of contract, with its permission."""
        if obj is not None and obj.is_live:
            return request.user.has_perm(permission_name("accept_change", Contract._meta))
        return obj is None or obj.status in OPEN_STATUSES

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Contract)
class ContractAdmin(LifecycleAdmin):
    form = ContractForm
    list_tools = ((gettext_lazy("Import from a file"), "admin:contracts_contract_import", import_job.PERMISSIONS),)
    tracked = CONTRACT_TRACKED
    fixed_once_saved = ("number", "customer")
    attribute_fieldsets = (
        (None, {"fields": ("number", "customer", "service", "item", "applied_on", "note")}),
        # The add page shows the rows of the chosen item's service only (contract/change_form.html).
        (gettext_lazy("Attributes of the service"), {"fields": ATTRIBUTES}),
    )
    list_display = (
        "number",
        customer_column,
        "service",
        "item",
        "status",
        "applied_on",
        "billing_start_on",
        "effective_end_on",
        "live_options",
    )
    list_select_related = ("customer", "service", "item")
    list_filter = (
        "status",
        "service",
        "customer__kind",
        "application_type",
        *LIFECYCLE_DATE_FILTERS,
    )
    date_hierarchy = "applied_on"
    search_fields = (
        "number",
        "customer__code",
        "customer__name",
        "customer__name_kana_key__kana",
        "closed_network",
        "service__name_ja",
        "service__name_en",
    )
    autocomplete_fields = ("customer", "parent", "standby_of", "related_contract")
    actions = lifecycle_actions(cascade_warning=True, accept_order=CONTRACTS_NEEDED_FIRST)
    change_form_template = "admin/contracts/contract/change_form.html"

    def attribute_fieldsets_of(self, obj):
        """A saved contract shows only its own service's attributes."""
        own = (ServiceCode(obj.service_id).label, {"fields": fields_of(obj.service_id)})
        return (self.attribute_fieldsets[0], own)

    def get_inlines(self, request, obj):
        """The contract's own inlines, then those other apps added (``backoffice.parts``: equipment's units)."""
        if obj is None:
            return [BandwidthAreaInline]
        own = [OptionInline, BandwidthAreaInline] if obj.service_id == ServiceCode.ISP_PLATFORM else [OptionInline]
        return [*own, *self.parts.inlines]

    def save_formset(self, request, form, formset, change):
        """An accepted contract's areas change as a dated change (``services.areas``), not by saving the rows."""
        if not (isinstance(formset, BandwidthAreaFormSet) and dated_change_needed(form.instance)):
            super().save_formset(request, form, formset, change)
            return
        on = form.cleaned_data.get("change_accepted_on") or timezone.localdate()
        records = change_areas(form.instance, limits=formset.limits(), on=on, by=request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if records:
            self.message_user(
                request,
                _("Bandwidth per area changed as accepted on %(date)s: %(changes)s.")
                % {
                    "date": date_text(on),
                    "changes": ", ".join(f"{r.old_value or '—'} → {r.new_value or '—'}" for r in records),
                },
                messages.SUCCESS,
            )

    def get_queryset(self, request):
        live = count_of(ContractOption, "contract", status__in=LIVE_STATUSES)
        return super().get_queryset(request).annotate(live_option_count=live)

    @admin.display(description=gettext_lazy("live options"), ordering="live_option_count")
    def live_options(self, obj):
        return obj.live_option_count

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("applied_on", timezone.localdate())
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        """The add page's script shows only the attributes of the chosen item's service."""
        service_of_item = dict(Item.objects.values_list("code", "service_id"))
        context = {
            "service_choosers": [["id_service", None], ["id_item", service_of_item]],
            "service_fields": {service: fields_of(service) for service in SERVICE_ATTRIBUTES},
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, context)


def option_fieldsets(service: str | None) -> tuple:
    """An option's own fields, then the attributes of its contract's service (none for a service whose options
    carry none); every service's while the contract is not known, of which the add page's script shows the
    chosen option's."""
    attributes = SERVICE_OPTION_ATTRIBUTES.get(service, ()) if service else OPTION_ATTRIBUTES
    own = (None, {"fields": ("contract", "kind", "applied_on", "applied_with_parent", "note")})
    return (own, (gettext_lazy("Option attributes"), {"fields": attributes})) if attributes else (own,)


@admin.register(ContractOption)
class ContractOptionAdmin(LifecycleAdmin):
    form = OptionForm
    tracked = OPTION_TRACKED
    fixed_once_saved = ("contract",)
    attribute_fieldsets = option_fieldsets(None)
    list_display = (
        "__str__",
        "contract_column",
        "customer_column",
        "kind",
        "status",
        "applied_on",
        "billing_start_on",
        "effective_end_on",
    )
    list_select_related = ("contract", "contract__customer", "kind")
    # Newest first as the contract list, from an index: the model's order (by contract, then kind) sorts
    # every option of the table for one page.
    ordering = ("-applied_on", "-id")
    list_filter = (
        "status",
        "kind__service",
        "kind",
        "contract__customer__kind",
        *LIFECYCLE_DATE_FILTERS,
    )
    date_hierarchy = "applied_on"
    search_fields = (
        "contract__number",
        "contract__customer__code",
        "contract__customer__name",
        "kind__name_ja",
        "kind__name_en",
    )
    autocomplete_fields = ("contract",)
    actions = lifecycle_actions(cascade_warning=False)

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

    @admin.display(description=gettext_lazy("customer"), ordering="contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.contract.customer)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("applied_on", timezone.localdate())
        return initial

    def attribute_fieldsets_of(self, obj):
        """A saved option shows only the attributes of its contract's service."""
        return option_fieldsets(obj.contract.service_id)

    def get_fieldsets(self, request, obj=None):
        """The add page shows the attributes of the contract's service once it is known: given by the "Add
        option" link, or posted."""
        if obj is None:
            return option_fieldsets(contract_service(request.POST.get("contract") or request.GET.get("contract")))
        return super().get_fieldsets(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        """The add page's script shows only the attributes of the chosen option's service."""
        context = {
            "service_choosers": [["id_kind", dict(OptionKind.objects.values_list("code", "service_id"))]],
            "service_fields": SERVICE_OPTION_ATTRIBUTES,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, context)


@admin.register(ContractChange)
class ContractChangeAdmin(HistoryAdmin):
    """Accepted changes and their one-time fees, read-only: they come only from accepted changes
    (``services.changes``), so none is added or edited here. Manual fees are ``OneTimeFee`` rows."""

    list_display = (
        "accepted_on",
        "contract_column",
        "option",
        "kind",
        "old_value",
        "new_value",
        "fee",
        "restarts_min_period",
    )
    list_select_related = ("contract", "option", "option__contract", "option__kind")
    list_filter = ("kind", "contract__service", "restarts_min_period")
    date_hierarchy = "accepted_on"
    search_fields = ("contract__number", "contract__customer__code", "contract__customer__name", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)


@admin.register(DatedPrice)
class DatedPriceAdmin(HistoryAdmin):
    """The prices in force from a day on, read-only: they come from accepted changes and from price
    agreements (the "Agree a price from a day" action of a contract or option), each with who and why."""

    list_display = (
        "valid_from",
        "contract_column",
        "option",
        "item",
        "monthly_fee",
        "change_fee",
        "origin",
        "retroactive",
    )
    list_select_related = ("contract", "option", "option__contract", "option__kind", "item")
    list_filter = ("origin", "retroactive", "contract__service")
    date_hierarchy = "valid_from"
    search_fields = ("contract__number", "contract__customer__code", "contract__customer__name", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)


@admin.register(BandwidthArea)
class BandwidthAreaAdmin(HistoryAdmin):
    """The areas of every contract. Those of an accepted contract are read here and changed on its page, as a
    dated change (this page has no date to record)."""

    form = BandwidthAreaForm
    list_display = ("contract_column", "area", "mbps")
    list_select_related = ("contract",)
    list_filter = ("area", "contract__status")
    search_fields = ("contract__number", "contract__customer__code", "contract__customer__name")
    autocomplete_fields = ("contract",)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not dated_change_needed(obj.contract)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not dated_change_needed(obj.contract)) and super().has_delete_permission(request, obj)

    @admin.display(description=gettext_lazy("contract"), ordering="contract__number")
    def contract_column(self, obj):
        return admin_link(obj.contract, obj.contract.number)

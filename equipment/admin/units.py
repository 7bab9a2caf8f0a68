"""Units and their models: the unit list (state, model and holder filters, the worklists), the unit page
with its whole story (every move, the incidents and the charges they caused), the stock import page and
the router rental unit counts to match."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin, Inline, RecordInline, admin_link
from backoffice.display import date_text, yen
from jobs.pages import upload_page

from .. import queries, rules, selectors
from ..models import Incident, Unit, UnitEvent, UnitModel
from ..services import stock_import_job, units
from . import holders
from .actions import UNIT_ACTIONS, admin_actions
from .forms import ImportForm


@admin.register(UnitModel)
class UnitModelAdmin(HistoryAdmin):
    list_display = ("code", "maker", "name", "accessories")
    search_fields = ("code", "maker", "name")
    list_filter = ("maker",)


class WorklistFilter(admin.SimpleListFilter):
    title = gettext_lazy("worklist")
    parameter_name = "worklist"

    def lookups(self, request, model_admin):
        return [(name, label) for name, (label, _condition) in selectors.UNIT_WORKLISTS.items()]

    def queryset(self, request, queryset):
        if self.value() in selectors.UNIT_WORKLISTS:
            return queryset.filter(selectors.UNIT_WORKLISTS[self.value()][1]())
        return queryset


class HolderFilter(admin.SimpleListFilter):
    title = gettext_lazy("holder")
    parameter_name = "holder"

    def lookups(self, request, model_admin):
        return [(name, label) for name, (label, _condition) in selectors.HOLDERS.items()]

    def queryset(self, request, queryset):
        if self.value() in selectors.HOLDERS:
            return queryset.filter(selectors.HOLDERS[self.value()][1])
        return queryset


class UnitEventInline(RecordInline):
    """Every move of the unit, oldest first: the unit's story."""

    model = UnitEvent
    fields = ("on", "from_status", "to_status", "holder_link", "carrier", "tracking_number", "by", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "contract__item", "option__contract", "option__kind")

    @admin.display(description=gettext_lazy("holder"))
    def holder_link(self, obj):
        return admin_link(obj.contract or obj.option)


class IncidentInline(Inline):
    """The unit's incidents and the charge each caused."""

    model = Incident
    fk_name = "unit"
    fields = ("incident_link", "kind", "reported_on", "cause", "resolution", "charge_text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("charge")

    @admin.display(description=gettext_lazy("incident"))
    def incident_link(self, obj):
        return admin_link(obj, date_text(obj.reported_on))

    @admin.display(description=gettext_lazy("charge"))
    def charge_text(self, obj):
        charge = getattr(obj, "charge", None)
        if charge is None:
            return "-"
        return admin_link(charge, f"{charge.get_kind_display()} {yen(charge.amount)} ({charge.get_status_display()})")


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ("serial", "unit_model", "status", "holder_link", "customer_link", "return_deadline", "found")
    list_tools = (
        (gettext_lazy("Receive units from a CSV file"), "admin:equipment_unit_import", ("equipment.add_unit",)),
    )
    list_select_related = (
        "unit_model",
        "contract__customer",
        "contract__item",
        "option__contract__customer",
        "option__kind",
    )
    list_filter = (WorklistFilter, "status", "unit_model", HolderFilter, "found")
    search_fields = ("serial", "contract__number", "option__contract__number")
    inlines = (UnitEventInline, IncidentInline)
    actions = admin_actions(UNIT_ACTIONS)
    add_fields = ("serial", "unit_model", "acquired_on", "acquisition_cost", "note")
    change_readonly = (
        "serial",
        "unit_model",
        "acquired_on",
        "acquisition_cost",
        "status",
        "holder_link",
        "return_deadline",
        "return_ground",
        "return_article",
        "return_days",
        "found",
    )

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else (*self._shown(obj), "note")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self._shown(obj)

    def _shown(self, obj) -> tuple[str, ...]:
        """The router rental return period is ISP Platform's: a unit of a Managed Router contract (art. 7 ¶3,
        30 days) or in our hands does not show it."""
        return self.change_readonly if obj.option_id else tuple(f for f in self.change_readonly if f != "return_days")

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            units.add_unit(obj, on=timezone.localdate(), by=request.user, note=_("Added in the admin"))

    @admin.display(description=gettext_lazy("holder"))
    def holder_link(self, obj):
        return admin_link(obj.holder)

    @admin.display(description=gettext_lazy("customer"))
    def customer_link(self, obj):
        return admin_link(obj.customer)

    @admin.display(description=gettext_lazy("article"))
    def return_article(self, obj):
        return obj.return_article or "-"

    @admin.display(description=gettext_lazy("router rental return period"))
    def return_days(self, obj):
        return _("%(days)d days after the option stops (ISP Platform art. 7: without delay)") % {
            "days": rules.without_delay_days()
        }

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="equipment_unit_import"),
            path(
                "assign-holders/",
                self.admin_site.admin_view(holders.search_view),
                name="equipment_unit_assign_holders",
            ),
            path(
                "rental-mismatches/",
                self.admin_site.admin_view(self.mismatch_view),
                name="equipment_unit_rental_mismatches",
            ),
        ]
        return own + super().get_urls()

    def _page(self, request, template, title, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context}
        return TemplateResponse(request, template, context)

    def import_view(self, request):
        """Receive stock from a supplier's CSV (logistics): the file is checked, then imported by a job."""
        return upload_page(
            self,
            request,
            permissions=("equipment.add_unit",),
            form_class=ImportForm,
            title=_("Receive units from a CSV file"),
            help_text=_("Dry run first; all rows or none."),
            start=lambda data, user: stock_import_job.import_later(
                data["file"],
                unit_model=data["unit_model"],
                acquired_on=data["acquired_on"],
                cost=data["cost"],
                dry_run=data["dry_run"],
                by=user,
            ),
        )

    def mismatch_view(self, request):
        """Router rental options whose units in use differ from the units they rent (ISP Platform art. 7)."""
        if not request.user.has_perm("equipment.view_unit"):
            raise PermissionDenied
        return self._page(
            request,
            "admin/equipment/unit/rental_mismatches.html",
            _("Router rental unit counts to match"),
            options=queries.rental_mismatches()[:500],
        )

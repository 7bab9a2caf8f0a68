"""The abolition workflow: record an abolition, preview what it ends, execute it, list whom to notify."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin
from backoffice.keys import object_or_404

from ..models import Abolition
from ..services import abolition as abolitions

CONTACT_COLUMNS = (
    ("code", gettext_lazy("customer number")),
    ("name", gettext_lazy("name")),
    ("failure_contact_name", gettext_lazy("failure contact")),
    ("failure_contact_phone", gettext_lazy("failure contact phone")),
    ("failure_contact_email", gettext_lazy("failure contact e-mail")),
    ("billing_contact_name", gettext_lazy("billing contact")),
    ("billing_contact_phone", gettext_lazy("billing contact phone")),
    ("billing_contact_email", gettext_lazy("billing contact e-mail")),
)


class ExecutedFilter(admin.SimpleListFilter):
    title = gettext_lazy("executed")
    parameter_name = "executed"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Executed")), ("no", gettext_lazy("Not executed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(executed_at__isnull=self.value() == "no")
        return queryset


class AbolitionForm(forms.ModelForm):
    class Meta:
        model = Abolition
        fields = ("service", "item", "option_kind", "effective_on", "reason")

    def clean(self):
        data = super().clean()
        target = Abolition(service=data.get("service"), item=data.get("item"), option_kind=data.get("option_kind"))
        if target.service_id:
            try:
                abolitions.check_target(target)
            except ValidationError as exc:
                self.add_error(None, exc)
        if data.get("item") and data.get("option_kind"):
            self.add_error("option_kind", _("Abolish either one item or one option kind, not both."))
        return data


def _safe_cell(value: str) -> str:
    """Keep spreadsheet programs from reading contact data as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@admin.register(Abolition)
class AbolitionAdmin(HistoryAdmin):
    form = AbolitionForm
    change_form_template = "admin/contracts/abolition/change_form.html"
    list_display = ("__str__", "service", "item", "option_kind", "effective_on", "executed_at")
    list_filter = (ExecutedFilter, "service", "effective_on")
    list_select_related = ("service", "item", "option_kind")
    search_fields = (
        "reason",
        "item__code",
        "item__name_ja",
        "item__name_en",
        "option_kind__code",
        "option_kind__name_ja",
        "option_kind__name_en",
        "service__name_ja",
        "service__name_en",
    )
    date_hierarchy = "effective_on"

    readonly_fields = ("executed_at",)

    def has_change_permission(self, request, obj=None):
        """An executed abolition is a record: it can be viewed, not edited."""
        return super().has_change_permission(request, obj) and not (obj and obj.executed_at)

    def has_execute_permission(self, request, obj=None):
        """Executing ends every live contract it hits: its own permission, not a plain edit's."""
        return request.user.has_perm("contracts.execute_abolition")

    def has_delete_permission(self, request, obj=None):
        """A draft abolition may be deleted; an executed one is a record."""
        return admin.ModelAdmin.has_delete_permission(self, request, obj) and not (obj and obj.executed_at)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/execute/", self.admin_site.admin_view(self.execute_view), name=f"{info}_execute"),
            path(
                "<path:object_id>/customers.csv",
                self.admin_site.admin_view(self.customers_csv_view),
                name=f"{info}_customers_csv",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        extra_context["can_execute"] = self.has_execute_permission(request, obj)
        if obj is not None and obj.executed_at:
            extra_context["notified_customers"] = abolitions.notified_customers(obj)
            extra_context["contact_columns"] = CONTACT_COLUMNS
        return super().change_view(request, object_id, form_url, extra_context)

    def _change_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def execute_view(self, request, object_id):
        """Confirmation page listing what the abolition ends and whom to notify; executes on POST."""
        obj = object_or_404(Abolition.objects.select_related("service", "item", "option_kind"), pk=object_id)
        if not self.has_execute_permission(request, obj):
            raise PermissionDenied
        if obj.executed_at:
            self.message_user(request, _("This abolition has already been executed."), messages.WARNING)
            return redirect(self._change_url(obj))
        if request.method == "POST" and "confirm" in request.POST:
            try:
                customers = abolitions.abolish(obj, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Abolition executed. %(count)d customer(s) to notify.") % {"count": len(customers)},
                    messages.SUCCESS,
                )
            return redirect(self._change_url(obj))
        hit = abolitions.affected(obj)
        customers = list(hit.customers())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": _("Execute abolition"),
            "contracts": hit.contracts,
            "options": hit.options,
            "customers": customers,
        }
        return TemplateResponse(request, "admin/contracts/abolition/execute_confirmation.html", context)

    def customers_csv_view(self, request, object_id):
        """The notified customers with their failure and billing contacts, as CSV for Excel."""
        obj = object_or_404(Abolition, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="abolition-{obj.pk}-customers.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([str(label) for _name, label in CONTACT_COLUMNS])
        for customer in abolitions.notified_customers(obj):
            writer.writerow([_safe_cell(str(getattr(customer, name))) for name, _label in CONTACT_COLUMNS])
        return response

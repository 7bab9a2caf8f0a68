"""What equipment adds to the contract and option pages: the units they hold (``ready()`` adds them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.admin import Inline, admin_link

from ..models import Unit


class ContractUnitInline(Inline):
    model = Unit
    fk_name = "contract"
    fields = ("serial_link", "unit_model", "status", "return_deadline", "found")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("rented units")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit_model")

    @admin.display(description=gettext_lazy("serial number"))
    def serial_link(self, obj):
        return admin_link(obj, obj.serial)


class OptionUnitInline(ContractUnitInline):
    fk_name = "option"

"""What contracts adds to the customers' admin pages (registered in ``ContractsConfig.ready()``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from backoffice.admin import Inline, admin_link, count_of
from backoffice.parts import Column

from ..choices import LIVE_STATUSES
from ..models import Contract


class ContractInline(Inline):
    """The customer's contracts, read-only; each links to its contract page."""

    model = Contract
    fk_name = "customer"
    view_on_site = False
    fields = ("number_link", "service", "item", "status", "applied_on", "billing_start_on", "effective_end_on")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service", "item")

    @admin.display(description=gettext_lazy("contract number"))
    def number_link(self, obj):
        return admin_link(obj, obj.number)


#: The customer list's count of live contracts: one subquery, so the list's query count stays constant.
live_contracts = Column(
    "live_contract_count",
    gettext_lazy("live contracts"),
    lambda: count_of(Contract, "customer", status__in=LIVE_STATUSES),
)
#: The related-contract list's count of the contracts made for each.
contract_count = Column("contract_count", gettext_lazy("contracts"), lambda: count_of(Contract, "related_contract"))

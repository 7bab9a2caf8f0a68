from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Abolition


@admin.register(Abolition)
class AbolitionAdmin(SimpleHistoryAdmin):
    list_display = ("service", "item", "option_kind", "effective_on", "executed_at")
    list_select_related = ("service", "item", "option_kind")

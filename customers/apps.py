from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from backoffice.registry import register

        from . import roles
        from . import timeline as customer_timeline

        for source in customer_timeline.SOURCES:
            register("timeline_sources", source)
        register("role_grants", roles.GRANTS, name=self.name)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from backoffice.registry import register

        from . import history, roles, schema  # noqa: F401 (history connects its receiver, schema its extension)

        register("role_grants", roles.GRANTS, name=self.name)

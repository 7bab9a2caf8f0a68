from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("background jobs")

    def ready(self):
        """Declare who sees and retries jobs."""
        from backoffice.registry import register

        from . import roles

        register("role_grants", roles.GRANTS, name=self.name)

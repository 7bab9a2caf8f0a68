from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("operations")

    def ready(self):
        """Time every job as it finishes, in the process that finished it (``ops.metrics``)."""
        from jobs import signals

        from . import metrics

        signals.finished.connect(metrics.job_finished, dispatch_uid="ops.metrics.job_finished")

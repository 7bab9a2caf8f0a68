from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The machinery every domain app shares: admin base, actions, timeline, status moves, exports, roles.

    It imports no domain app; the domain apps register their parts with it in ``ready()``.
    """

    name = "backoffice"
    verbose_name = _("Back-office")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The machinery every domain app shares: admin base, actions, timeline, status moves, exports, roles.

    It imports no domain app; the domain apps register their parts with it in ``ready()``.
    """

    name = "backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import sessions, signin_admin
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="backoffice.roles.sync")
        user_logged_in.connect(sessions.signed_in, dispatch_uid="backoffice.sessions.signed_in")
        signin_admin.register()

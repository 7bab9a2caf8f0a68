"""Make sure the demo superuser and the demo's role logins exist and can log in; prints where and how."""

import os

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand
from backoffice.roles import ensure_role_logins
from demo.login import demo_user

DEFAULT_PASSWORD = "demo-admin-2026"


class Command(StaffCommand):
    help = (
        "Create the demo superuser 'admin' and one login per role (sales, logistics, billing, approver, "
        "auditor) if missing (password from DEMO_PASSWORD) and print the logins."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        user = demo_user()
        # A password someone set by hand is kept; only a user without one gets the demo password.
        if not user.has_usable_password():
            user.set_password(password)
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        self._print_login(user, password)
        for role, login in ensure_role_logins(password):
            self._print_login(login, password, f"  ({role.label})")

    def _print_login(self, user, password, suffix=""):
        if user.check_password(password):
            shown = _("password: %(password)s") % {"password": password}
        else:
            shown = _("(password changed since; not shown)")
        self.stdout.write(
            _("Login: %(url)s  user: %(user)s  %(password)s")
            % {"url": f"http://127.0.0.1:8000{reverse('admin:index')}", "user": user.username, "password": shown}
            + suffix
        )

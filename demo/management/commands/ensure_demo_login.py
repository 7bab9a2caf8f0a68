"""Make sure the demo superuser exists and can log in; prints where and how."""

import os

from django.core.management.base import BaseCommand

from demo.login import DEMO_USERNAME, demo_user

DEFAULT_PASSWORD = "demo-admin-2026"


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' if missing (password from DEMO_PASSWORD) and print the login."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        user = demo_user()
        # A password someone set by hand is kept; only a user without one gets the demo password.
        if not user.has_usable_password():
            user.set_password(password)
        user.is_active = user.is_staff = user.is_superuser = True
        user.save()
        if user.check_password(password):
            self.stdout.write(f"Login: http://127.0.0.1:8000/admin/  user: {DEMO_USERNAME}  password: {password}")
        else:
            self.stdout.write(
                f"Login: http://127.0.0.1:8000/admin/  user: {DEMO_USERNAME}  (password changed since; not shown)"
            )

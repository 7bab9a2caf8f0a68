"""The admin application with the back-office's own site (two-factor sign-in) as ``admin.site``."""

from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    default_site = "backoffice.site.BackofficeAdminSite"

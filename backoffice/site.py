"""The admin site: Django's, with the sign-in that asks for a second factor (``backoffice.signin``), query
strings that cannot ask the database for costly lookups or send it a NUL byte, and the list of apps built once
per set of permissions (``backoffice.app_lists``)."""

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.core.exceptions import SuspiciousOperation
from django.db.models.constants import LOOKUP_SEP

from . import app_lists
from .signin import SigninForm, enrolment_redirect, lacks_second_factor

#: Lookups no list filter offers and a crafted URL could use to make the database work for minutes
#: (a nested-quantifier pattern) or fail (an invalid pattern).
COSTLY_LOOKUPS = frozenset({"regex", "iregex"})


def check_query_string(params) -> None:
    """Refuse (400) a query string that filters with a costly lookup or holds a NUL byte (which
    PostgreSQL refuses with an error), on any page of the admin."""
    for key, values in params.lists():
        if COSTLY_LOOKUPS.intersection(key.split(LOOKUP_SEP)[1:]):
            raise DisallowedModelAdminLookup(f"Filtering by {key} is not allowed")
        if "\x00" in key or any("\x00" in value for value in values):
            raise SuspiciousOperation("A NUL byte in the query string")


class BackofficeAdminSite(AdminSite):
    login_form = SigninForm
    login_template = "admin/signin.html"

    def has_permission(self, request):
        return super().has_permission(request) and not lacks_second_factor(request)

    def get_app_list(self, request, app_label=None):
        build = super().get_app_list
        return app_lists.app_list(request, app_label, lambda: build(request, app_label))

    def login(self, request, extra_context=None):
        return enrolment_redirect(request) or super().login(request, extra_context)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def inner(request, *args, **kwargs):
            check_query_string(request.GET)
            return checked(request, *args, **kwargs)

        return inner

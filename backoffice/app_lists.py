"""The admin's apps and models as a user sees them (the index, and the sidebar of every page), built and
rendered once per set of permissions and language in each process rather than on every request.

Django builds the list for each page: it asks every model's admin (about a hundred) for its permissions and
reverses its URLs, then renders the sidebar's row of each model the user may see; together a quarter of the CPU
of a short list's page. What it builds depends on nothing else: the model admins answer from the user's
permissions alone for a list (no row), the URLs from the URL configuration, the names from the language; the
sidebar marks the app and model of the page. So both are kept under those keys; a user whose permissions change
gets others.
"""

from collections import OrderedDict
from threading import Lock

from django.template.defaultfilters import urlencode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


class Kept:
    """The last ``size`` values made, by key (a process's threads share it)."""

    def __init__(self, size: int):
        self.size, self.values, self.lock = size, OrderedDict(), Lock()

    def get(self, key, make):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
                return value
        value = make()
        with self.lock:
            self.values[key] = value
            if len(self.values) > self.size:
                self.values.popitem(last=False)
        return value


#: A role's permissions and a language make one list (an app's own page one more), and one sidebar per page of it.
LISTS = Kept(128)
SIDEBARS = Kept(1024)


def key(request, app_label=None) -> tuple:
    user = request.user
    permissions = True if user.is_active and user.is_superuser else frozenset(user.get_all_permissions())
    return permissions, app_label, get_language(), get_script_prefix()


def app_list(request, app_label, build) -> list[dict]:
    """``build()``'s list (``AdminSite.get_app_list``), from the one kept for this user's permissions when there
    is one. Each caller gets its own lists and dictionaries: Django's views sort and extend them."""

    def made():
        return [
            {**app, "name": str(app["name"]), "models": [{**m, "name": str(m["name"])} for m in app["models"]]}
            for app in build()
        ]

    kept = LISTS.get(key(request, app_label), made)
    return [{**app, "models": [dict(model) for model in app["models"]]} for app in kept]


def sidebar(context, template) -> str:
    """``template`` (the sidebar) rendered in ``context``, or the same rendering kept for these permissions and
    the app and model it marks as this page's (those whose URL the page's path holds, as the template tests)."""
    path = urlencode(context["request"].path)
    apps = context["available_apps"]
    current = tuple(app["app_url"] for app in apps if app["app_url"] in path) + tuple(
        model["admin_url"] for app in apps for model in app["models"] if model["admin_url"] in path
    )
    wanted = (*key(context["request"]), current)
    return mark_safe(SIDEBARS.get(wanted, lambda: template.render(context)))

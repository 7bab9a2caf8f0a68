"""Strings that django-simple-history and Django's admin show but whose catalogues lack Japanese.

simple-history ships no Japanese at all, and Django's Japanese catalogue misses a few admin strings.
``makemessages`` only collects the project's own calls, so these msgids are listed here, marked
with ``gettext_noop``, to keep their translations alive in ``locale/ja``; the project's catalogue
comes first in ``LOCALE_PATHS``, so Django finds them there. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = (
    # simple_history/object_history.html and object_history_form.html (the project overrides and so
    # collects object_history_list.html itself)
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Change History"),
    gettext_noop("Revert"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    # simple_history/admin.py: the titles of the history pages
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    # simple_history/models.py: the history types and a deleted row
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
)

DJANGO_ADMIN = (
    # admin/date_hierarchy.html
    gettext_noop("Filter by %(field_name)s"),
    # django.db.models.fields.BLANK_CHOICE_LABEL, the empty choice of a select
    gettext_noop("- Select an option -"),
)

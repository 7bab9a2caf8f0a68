"""A changelist's rows as Django writes them, without two of its costs per row (a list shows 100).

- The action checkbox: Django renders a form widget for it, three templates a row. ``ActionCheckbox`` writes
  the same element directly.
- The row's link: on a filtered or searched list Django adds the filters to it (``_changelist_filters``) by
  resolving the link's URL against every pattern of the admin, to learn it is no list. ``RowLinks`` appends
  them itself and leaves Django nothing to add.

Same HTML as Django's (``tests/backoffice/test_list_rows.py`` compares them).
"""

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html
from django.utils.translation import gettext as _

#: Django's label of a row's checkbox, translated by Django's own catalogue (not marked for this project's).
CHECKBOX_LABEL = "Select this object for an action - {}"


class ActionCheckbox:
    """For a ``ModelAdmin``: the list's action checkbox written out, not rendered by templates."""

    def action_checkbox(self, obj):
        label = format_html(_(CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class RowLinks(ChangeList):
    """Each row's link carries the list's filters and search, appended here rather than by Django."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django reads ``preserved_filters`` only to add them to the rows' links (``items_for_result``).
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = super().url_for_result(result)
        return f"{url}?{self.row_filters}" if self.row_filters else url

"""The base of every admin of the back-office: history with readable field-level changes, the parts other
apps add to a model's pages, nothing ever deleted; and small helpers for admin pages."""

import re
from itertools import pairwise

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from .date_drilldown import BoundedDateChangeList, WholeListChangeList
from .display import record_changes
from .forms import AdminModelForm
from .integrity import refusal_of
from .keys import KeyCheckingAdmin, valid_key
from .list_exports import FORMATS, export_response
from .list_rows import ActionCheckbox
from .paging import EstimatingPaginator
from .parts import Actions, parts_of


class SelectPrompt:
    """Every select of a page opens with the same prompt (- 選択してください -), foreign keys included, and no
    inline row offers "view on site": ``get_absolute_url`` points back into the admin."""

    view_on_site = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("empty_label", BLANK_CHOICE_LABEL)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(SelectPrompt, ActionCheckbox, KeyCheckingAdmin, SimpleHistoryAdmin):
    """``SimpleHistoryAdmin`` whose history page lists, per version, each field's old → new value.

    simple-history 3.13 already renders a "Changes" column (with the staff user and the change
    reason); this fills it with choice labels and the computed dates too, and diffs the oldest
    version of a page against the next page's first one instead of leaving it blank.

    It also shows the inlines, columns and actions other apps added for its model (``parts``).
    """

    form = AdminModelForm
    show_full_result_count = False
    paginator = EstimatingPaginator  # a list of 100,000 rows is not counted to the last one on every page
    #: Fields exported with the list's own columns (key dates and amounts): ``("applied_on", "monthly_fee")``.
    export_extra: tuple[str, ...] = ()
    #: Pages of the list's own beside its exports: ``(label, url name, permissions needed)``.
    list_tools: tuple[tuple, ...] = ()

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.parts = parts_of(model)
        if self.actions is not None:
            self.actions = Actions(self.actions, self.parts)

    def get_changelist(self, request, **kwargs):
        return WholeListChangeList if getattr(request, "exports_list", False) else BoundedDateChangeList

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        export = path("export/<str:fmt>/", self.admin_site.admin_view(self.list_export_view), name=name)
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        """The list, with links to its own pages (an import) and exporting it, as filtered and searched."""
        query = request.GET.urlencode()
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_export", args=["FMT"])
        links = [(_("Export CSV"), "csv"), (_("Export Excel"), "xlsx")]
        tools = [
            (label, reverse(name))
            for label, name, permissions in self.list_tools
            if all(request.user.has_perm(permission) for permission in permissions)
        ]
        context = {
            "list_exports": tools
            + [(label, url.replace("FMT", fmt) + (f"?{query}" if query else "")) for label, fmt in links],
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def list_export_view(self, request, fmt):
        """The whole list the user is looking at (its filters, search and order), as a download."""
        if fmt not in FORMATS:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        request.exports_list = True
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return HttpResponseRedirect(f"{url}?{ERROR_FLAG}=1")
        return export_response(self, changelist, fmt)

    def has_delete_permission(self, request, obj=None):
        """Nothing is deleted: contracts end through the lifecycle, and the history keeps every row."""
        return False

    def __getattr__(self, name):
        """``has_<action>_permission``, which Django's ``allowed_permissions`` asks of an action, for the
        action's own permission (``contracts.accept_contract``): actions other apps add are covered too."""
        match = re.fullmatch(r"has_(\w+)_permission", name)
        if match is None:
            raise AttributeError(name)
        action = match.group(1)
        return lambda request, obj=None: request.user.has_perm(permission_name(action, self.opts))

    def get_inlines(self, request, obj):
        """Its own inlines and the other apps'; an added inline with ``on_add_page = False`` (a list of what
        follows the row, such as an outage's alerts) waits until the row exists."""
        added = [inline for inline in self.parts.inlines if obj is not None or getattr(inline, "on_add_page", True)]
        return [*super().get_inlines(request, obj), *added]

    def get_list_display(self, request):
        return [*super().get_list_display(request), *self.parts.columns]

    def get_queryset(self, request):
        return self.parts.annotate(super().get_queryset(request))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal raised while saving (a rule seeing a concurrent change, or a database constraint the
        form could not foresee) rolls back and is shown as an error message, never a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            refusal = _("Nothing was saved. %(reason)s") % {"reason": refusal_text(exc)}
        except IntegrityError as exc:
            refusal = _("Nothing was saved. %(reason)s") % {"reason": refusal_text(refusal_of(exc))}
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def revert_disabled(self, request, obj=None):
        """History is the audit trail: states change through the actions, never by reverting a version."""
        return True

    def history_view(self, request, object_id, extra_context=None):
        if self.opts.proxy:
            return self.concrete_page("history", object_id)
        self.check_history_of(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        if self.opts.proxy:
            return self.concrete_page("simple_history", object_id, version_id)
        self.check_history_of(request, object_id)
        if not valid_key(get_history_model_for_model(self.model)._meta.pk, version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def check_history_of(self, request, object_id):
        """Refuse the history of a row the user's list does not show (another's job, an e-mail of a topic
        the role does not read) as not found, like an id that can be no row's key ("abc", "1.5").

        simple-history reads the history table itself, falling back to it when ``get_queryset`` hides
        the row. A deleted row is in no list: its history stays readable to whom the list hides nothing.
        """
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        if not valid_key(self.opts.pk, object_id):
            raise Http404
        rows = self.get_queryset(request)
        if rows.query.where and not rows.filter(pk=object_id).exists():
            raise Http404

    def concrete_page(self, name, *args):
        """The page of the proxied model's admin, which checks the id and the reader: a proxy's rows (a
        receivable is an invoice) keep their history there."""
        concrete = self.opts.concrete_model._meta
        return HttpResponseRedirect(reverse(f"admin:{concrete.app_label}_{concrete.model_name}_{name}", args=args))

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        foreign_keys = [f.name for f in history_manager.model.tracked_fields if f.is_relation]
        return records.select_related(*foreign_keys) if foreign_keys else records

    def set_history_delta_changes(self, request, page_obj, foreign_keys_are_objs=True):
        records = list(page_obj)  # turns the page's object list into these very instances
        if page_obj.has_next():
            records.append(page_obj.paginator.object_list[page_obj.end_index()])
        for current, previous in pairwise(records):
            current.history_delta_changes = [
                {"field": field, "old": old, "new": new}
                for field, old, new in record_changes(current, previous, foreign_keys_are_objs=foreign_keys_are_objs)
            ]


class Inline(SelectPrompt, admin.TabularInline):
    """An inline that deletes nothing either: rows the rules protect end through their actions."""

    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly:
    """Rows the services write (invoices, incidents, received alerts): listed and shown, never added or edited
    by hand. Mixed into a model admin or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordInline(ReadOnly, Inline):
    """A read-only inline of records (moves, contacts): written by the services, shown oldest first."""

    ordering = ("on", "id")

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def permission_name(action: str, opts) -> str:
    """The permission of ``action`` on the model of ``opts``: ``contracts.accept_contract``."""
    return f"{opts.app_label}.{action}_{opts.model_name}"


def refusal_text(exc: ValidationError) -> str:
    """A refusal's messages (each naming its article) as one line for an admin message."""
    return " ".join(exc.messages)


def admin_link(obj, text=None):
    """A link to ``obj``'s admin change page (empty when there is no object)."""
    if obj is None:
        return "-"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else obj)


def count_of(model, fk: str, **filters):
    """An annotation counting ``model`` rows pointing at each row by ``fk``, as a subquery.

    A subquery keeps the list free of GROUP BY, so the model's default ordering still applies
    (autocomplete pages it) and the paginator's count stays a plain count.
    """
    rows = model.objects.filter(**{fk: OuterRef("pk")}, **filters).order_by().values(fk)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


__all__ = ["HistoryAdmin", "Inline", "ReadOnly", "admin_link", "count_of", "permission_name", "refusal_text"]


class StaffUserAdmin(KeyCheckingAdmin, UserAdmin):
    """Django's user admin, refusing impossible keys in its group and permission fields."""


class RoleGroupAdmin(KeyCheckingAdmin, GroupAdmin):
    """Django's group admin, refusing impossible keys in its permission field."""


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)


def registered_filter(field: str, title, choices) -> type[admin.SimpleListFilter]:
    """A list filter on ``field`` offering ``choices()``, read at each request: what the apps registered
    (a job's kinds, a message's topics), where the field itself lists no choices."""

    class Filter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return choices()

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    Filter.title = title
    return Filter


def yes_no_filter(parameter: str, title, yes) -> type[admin.SimpleListFilter]:
    """A list filter "yes / no" on a condition (``yes``, a ``Q``): the rows that meet it, or the others."""

    class Filter(admin.SimpleListFilter):
        parameter_name = parameter

        def lookups(self, request, model_admin):
            return [("yes", _("Yes")), ("no", _("No"))]

        def queryset(self, request, queryset):
            match self.value():
                case "yes":
                    return queryset.filter(yes)
                case "no":
                    return queryset.exclude(yes)
            return queryset

    Filter.title = title
    return Filter

"""Monitoring sources: a superuser creates one and sees its token once, on a page of its own; "issue a new
token" replaces it (the old one is refused from that moment)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import bearer
from backoffice.admin import HistoryAdmin
from backoffice.forms import AdminModelForm
from backoffice.keys import object_or_404
from backoffice.shown_once import Secret, ask_first, shown_once

from .. import sources
from ..models import Source


class SourceForm(AdminModelForm):
    class Meta:
        model = Source
        fields = ("name", "kind", "allowed_addresses", "active")

    def clean_allowed_addresses(self):
        text = self.cleaned_data["allowed_addresses"]
        try:
            bearer.parse_networks(text)
        except ValidationError as refusal:
            raise ValidationError(refusal.message_dict["allowed_addresses"]) from None
        return text


def _issued_page(modeladmin, request, source, secret):
    """The token, shown this once: only its digest is stored."""
    shown = Secret(
        value=secret,
        warning=_(
            "Copy the token now into the monitoring's configuration: it is shown only on this page, and cannot be "
            "shown again."
        ),
        rows=(
            (modeladmin.opts.verbose_name, f"{source} ({source.get_kind_display()})"),
            (_("endpoint"), request.build_absolute_uri(reverse(f"monitoring:{source.kind}"))),
        ),
        advice=_(
            "The monitoring sends it in the Authorization header of each request, after “Bearer ” "
            "(docs/monitoring.md). Lost? Issue a new one."
        ),
        back_url=reverse("admin:monitoring_source_changelist"),
        back_label=_("I have copied it: back to the sources"),
    )
    return shown_once(modeladmin, request, title=_("Copy the source's new token now"), secret=shown)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("name", "kind", "active", "token_prefix", "token_issued_at", "last_received")
    list_filter = ("kind", "active")
    search_fields = ("name", "token_prefix")
    readonly_fields = ("token_prefix", "token_issued_at")
    form = SourceForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(last_received_at=Max("payloads__receipts__received_at"))

    @admin.display(description=gettext_lazy("last received at"), ordering="last_received_at")
    def last_received(self, obj):
        return obj.last_received_at or "-"

    def get_fields(self, request, obj=None):
        """The token's prefix and date exist once it is issued."""
        return SourceForm.Meta.fields if obj is None else (*SourceForm.Meta.fields, *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.secret = sources.issue(obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return _issued_page(self, request, obj, obj.secret)

    def get_urls(self):
        view = self.admin_site.admin_view(self.rotate_view)
        return [path("<path:object_id>/rotate/", view, name="monitoring_source_rotate"), *super().get_urls()]

    def rotate_view(self, request, object_id):
        """Confirm, then issue a new token and show it once; the old one is refused from that moment."""
        source = object_or_404(Source, pk=object_id)
        if not request.user.has_perm("monitoring.rotate_source"):
            raise PermissionDenied
        if request.method == "POST":
            return _issued_page(self, request, source, sources.issue(source, by=request.user))
        return ask_first(
            self,
            request,
            title=_("Issue a new token for %(source)s?") % {"source": source},
            warning=_(
                "The current token is refused from the moment the new one is issued: put the new one in the "
                "monitoring's configuration at once."
            ),
            submit=_("Yes, issue a new token"),
            cancel_url=reverse("admin:monitoring_source_change", args=[source.pk]),
        )

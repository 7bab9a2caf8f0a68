"""Monitoring sources: a superuser creates one and sees its token once, on a page of its own; "issue a new
token" replaces it (the old one is refused from that moment)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import bearer
from backoffice.admin import HistoryAdmin
from backoffice.forms import AdminModelForm
from backoffice.keys import object_or_404

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
    """The token, shown this once and kept by no browser or proxy: only its digest is stored."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Copy the source's new token now"),
        "opts": modeladmin.opts,
        "source": source,
        "secret": secret,
        "endpoint": request.build_absolute_uri(reverse(f"monitoring:{source.kind}")),
    }
    response = TemplateResponse(request, "admin/monitoring/source/issued.html", context)
    add_never_cache_headers(response)
    return response


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
        context = {
            **self.admin_site.each_context(request),
            "title": _("Issue a new token for %(source)s?") % {"source": source},
            "opts": self.opts,
            "object": source,
        }
        return TemplateResponse(request, "admin/monitoring/source/rotate.html", context)

"""Webhook subscriptions in the admin: a superuser's (no role holds their permissions, ``api.roles``). The
secret is shown once, on the page that follows the creation or a rotation, and on no other page; a subscription
is turned off, never deleted (its deliveries in the outbox name it). The deliveries themselves are in the
outbox's list, with its "send again"."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.admin import HistoryAdmin
from backoffice.forms import AdminModelForm
from backoffice.keys import object_or_404
from backoffice.shown_once import Secret, ask_first, shown_once

from ..models import WebhookEvent, WebhookSubscription
from . import subscriptions


class SubscriptionForm(AdminModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ("url", "events", "description", "active")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(HistoryAdmin):
    form = SubscriptionForm
    list_display = ("__str__", "url", "event_labels", "active", "owner", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "description")
    list_select_related = ("owner",)
    readonly_fields = ("owner", "created_at")

    @admin.display(description=gettext_lazy("events"))
    def event_labels(self, obj):
        return ", ".join(str(WebhookEvent(value).label) for value in obj.events if value in WebhookEvent.values)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        rotate = self.admin_site.admin_view(self.rotate_view)
        return [path("<path:object_id>/rotate/", rotate, name="api_webhooksubscription_rotate"), *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The new secret is shown on the page that follows the creation, whichever button saved it."""
        context = {"show_save_and_continue": object_id is not None, "show_save_and_add_another": False}
        context["can_rotate"] = object_id is not None and self.has_change_permission(request)
        return super().changeform_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.new_secret = subscriptions.create(obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return self._secret_page(request, obj, obj.new_secret)

    def rotate_view(self, request, object_id):
        """Asks first (the receiver refuses every delivery until it has the new secret), then shows it once."""
        subscription = object_or_404(WebhookSubscription, pk=object_id)
        if not self.has_change_permission(request, subscription):
            raise PermissionDenied
        if request.method == "POST":
            return self._secret_page(request, subscription, subscriptions.rotate(subscription, by=request.user))
        warning = _(
            "A new secret signs every delivery to “%(subscription)s” from now on, those waiting to be tried again "
            "included: the receiving system refuses them until it has the new one."
        ) % {"subscription": subscription}
        change_url = reverse("admin:api_webhooksubscription_change", args=[subscription.pk])
        return ask_first(
            self,
            request,
            title=_("Rotate the signing secret"),
            warning=warning,
            submit=_("Rotate the secret"),
            cancel_url=change_url,
        )

    def _secret_page(self, request, subscription, secret):
        shown = Secret(
            value=secret,
            warning=_(
                "Copy the secret now into the receiving system: it is shown only on this page, and cannot be shown "
                "again. Lost? Rotate it."
            ),
            rows=((self.opts.verbose_name, str(subscription)), (_("URL"), subscription.url)),
            advice=_(
                "Each delivery is signed as Standard Webhooks sign them (webhook-id, webhook-timestamp, "
                "webhook-signature): verify it with this secret and any Standard Webhooks library."
            ),
            back_url=reverse("admin:api_webhooksubscription_change", args=[subscription.pk]),
            back_label=_("I have copied it"),
        )
        return shown_once(self, request, title=_("Copy the signing secret now"), secret=shown)

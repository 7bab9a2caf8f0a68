"""API tokens in the admin: each staff user creates tokens for themselves and sees the new token once, on a
page of its own; tokens are revoked, never edited nor deleted. A superuser (``api.manage_every_token``) sees and
revokes everyone's."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin
from backoffice.display import date_text
from backoffice.forms import AdminModelForm
from backoffice.shown_once import Secret, shown_once

from . import tokens
from .models import ApiToken

EVERY_TOKEN = "api.manage_every_token"


class TokenForm(AdminModelForm):
    """A new token of the signed-in user, checked by ``api.tokens`` so that its refusals land on their fields."""

    #: Set by ``ApiTokenAdmin.get_form``: whose token this is.
    user = None

    class Meta:
        model = ApiToken
        fields = ("name", "access", "expires_at", "allowed_addresses", "requests_per_minute")

    def _get_validation_exclusions(self):
        """The user and the revocation are not fields of the form, but one live token of a name per user
        (their constraint) is checked here, on the form, not at the save."""
        return super()._get_validation_exclusions() - {"user", "revoked_at"}

    def _post_clean(self):
        self.instance.user = self.user
        super()._post_clean()
        if not self.errors:
            try:
                tokens.check_may_hold(self.instance)
            except ValidationError as refusal:
                self._update_errors(refusal)


class RevokeForm(forms.Form):
    """Nothing to ask: the confirmation page alone."""


def _revoke(token, data, user):
    tokens.revoke(token, by=user)


def _revoke_warning(rows) -> list[str]:
    return [_("A revoked token is refused at once and for good: the systems using it need a new token.")]


REVOKE = StepAction(
    "revoke", gettext_lazy("Revoke"), RevokeForm, _revoke, _revoke_warning, permission="change", rehearse=False
)


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", _("live")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "live":
                return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
            case "expired":
                return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
            case "revoked":
                return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(HistoryAdmin):
    list_display = ("name", "prefix", "access", "expires_at", "last_used_at", "last_used_from", "revoked_at")
    list_filter = (StateFilter, "access", ("expires_at", admin.DateFieldListFilter))
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    actions = [REVOKE.as_admin_action()]
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "last_used_from", "revoked_at")
    form = TokenForm

    def sees_every_token(self, request) -> bool:
        return request.user.has_perm(EVERY_TOKEN)

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("user")
        return rows if self.sees_every_token(request) else rows.filter(user=request.user)

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [columns[0], "user", *columns[1:]] if self.sees_every_token(request) else columns

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return (*filters, "user") if self.sees_every_token(request) else filters

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        return TokenForm.Meta.fields if obj is None else (*TokenForm.Meta.fields, *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        """A token is never edited: revoke it and create another."""
        return () if obj is None else (*TokenForm.Meta.fields, *self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        """Only the revoke action changes a token (it needs this permission on the list); its page only shows."""
        return obj is None and super().has_change_permission(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The new token is shown on the page that follows the save, whichever button saved it."""
        context = {"show_save_and_continue": False, "show_save_and_add_another": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, context)

    def save_model(self, request, obj, form, change):
        obj.secret = tokens.issue(obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        """The token itself, shown this once: only its digest is stored."""
        secret = Secret(
            value=obj.secret,
            warning=_(
                "Copy the token now and keep it where the system that uses it reads its secrets: it is shown only on "
                "this page, and cannot be shown again."
            ),
            rows=(
                (self.opts.verbose_name, str(obj)),
                (_("access"), obj.get_access_display()),
                (_("expires at"), date_text(obj.expires_at)),
            ),
            advice=_(
                "Systems send it in the Authorization header of each request, after “Bearer ”. Lost? Revoke it and "
                "create another."
            ),
            back_url=reverse("admin:api_apitoken_changelist"),
            back_label=_("I have copied it: back to my tokens"),
        )
        return shown_once(self, request, title=_("Copy your new API token now"), secret=secret)

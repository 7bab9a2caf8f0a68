"""The API's own rows: the tokens staff create for other systems, the answers kept for idempotent POSTs, and
the webhook subscriptions of other systems."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check


class Access(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


def default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token of one user. Only its digest is kept: the token itself is shown once, at creation
    (``api.tokens.issue``); ``prefix`` finds the row, the digest proves the rest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("The system that uses it, e.g. “sales portal”."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.READ)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry)
    allowed_addresses = models.TextField(
        _("allowed addresses"),
        blank=True,
        help_text=_("Addresses or networks (CIDR) the token may be used from, one per line; empty for any."),
    )
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=120, help_text=_("More requests in a minute are answered 429.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used_at", "last_used_from"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        permissions = [("manage_every_token", _("Can see and revoke every user's API tokens"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_apitoken_one_live_name_per_user",
                violation_error_message=_("You already have a live token of this name."),
            ),
            Check(
                condition=Q(requests_per_minute__gte=1, requests_per_minute__lte=10_000),
                name="api_apitoken_rate_in_range",
                field="requests_per_minute",
                violation_error_message=_("Between 1 and 10,000 requests a minute."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def writes(self) -> bool:
        return self.access == Access.WRITE


class IdempotentRequest(models.Model):
    """The first answer to a POST with an ``Idempotency-Key``, replayed for the same key and body for a day
    (``api.idempotency``). Unique per user and key, so two requests at once produce one effect. No history: a
    row is a copy of an answer already given, and the change it answered is in the history of its own rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    data = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotentrequest_one_per_key")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"


#: The hosts a webhook may reach in plain http where ``WEBHOOKS_ALLOW_LOCAL_HTTP``.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class WebhookEvent(models.TextChoices):
    """What a subscription may hear of; the value is the ``type`` of the payload."""

    CONTRACT_ACCEPTED = "contract.accepted", _("Contract accepted")
    CONTRACT_CHANGED = "contract.changed", _("Contract changed")
    CONTRACT_ENDED = "contract.ended", _("Contract ended")
    INVOICE_ISSUED = "invoice.issued", _("Invoice issued")
    PAYMENT_MATCHED = "payment.matched", _("Payment matched")
    OUTAGE_OPENED = "outage.opened", _("Outage opened")
    OUTAGE_CLOSED = "outage.closed", _("Outage closed")
    JOB_FINISHED = "job.finished", _("Job finished")


class WebhookSubscription(models.Model):
    """An endpoint of another system that hears of the chosen events (``api.webhooks``).

    The signing secret is stored as it is, since signing each delivery needs it (a digest would not do): it is
    shown once, when made or rotated, and never again — no screen, export or history row holds it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    url = models.URLField(_("URL"), max_length=500, help_text=_("Where the events are POSTed: https://…"))
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True, help_text=_("An inactive subscription hears of nothing."))
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.description or self.url

    def clean(self):
        """Events the API knows, at least one; an https URL (plain http to this machine only where
        ``WEBHOOKS_ALLOW_LOCAL_HTTP``: development and tests)."""
        if not self.events or not set(self.events) <= set(WebhookEvent.values):
            raise ValidationError({"events": _("Choose the events among those listed.")})
        url = urlsplit(self.url)
        local = url.scheme == "http" and url.hostname in LOCAL_HOSTS and settings.WEBHOOKS_ALLOW_LOCAL_HTTP
        if url.scheme != "https" and not local:
            raise ValidationError({"url": _("A webhook goes to an https:// URL.")})

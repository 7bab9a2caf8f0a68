"""Monitoring sources, the requests they post (kept as received), their alerts, and the network identifiers that
tie an alert's labels to contracts.

A request's body is stored once per source and content (``Payload``), each arrival of it as a ``Receipt``;
both are evidence and never change afterwards: database triggers refuse their updates and deletions
(``monitoring.0002``), as they do for issued invoices.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check
from backoffice.display import date_text
from contracts.selectors import SLA_SERVICES, SMART_HUB_PORTS

from .choices import AlertStatus, Mapping, SourceKind

IMMUTABLE_TABLES = ("monitoring_payload", "monitoring_receipt")


class Source(models.Model):
    """A monitoring system that posts alerts, with its own bearer token (only the digest is kept) and an
    optional allow-list of addresses. Alertmanager cannot sign its requests: the token is all it proves."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True, editable=False)
    token_digest = models.CharField(_("token digest"), max_length=64, editable=False)
    token_issued_at = models.DateTimeField(_("token issued at"), null=True, editable=False)
    allowed_addresses = models.TextField(
        _("allowed addresses"), blank=True, help_text=_("One address or network per line; empty: any address.")
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring source")
        verbose_name_plural = _("monitoring sources")
        ordering = ["name"]
        permissions = [("rotate_source", _("Can issue a monitoring source's token again"))]
        constraints = [
            Check(
                condition=Q(kind__in=SourceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                field="kind",
                violation_error_message=_("Not a kind of monitoring source."),
            )
        ]

    def __str__(self):
        return self.name


class Payload(models.Model):
    """A request body as received, once per source and content (an Alertmanager resend or an HA twin of the
    same group adds a receipt, not a body). ``error`` says why it was refused, read when it arrived."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="payloads", verbose_name=_("source"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    body = models.TextField(_("body"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    received_at = models.DateTimeField(_("first received at"))
    alert_count = models.PositiveIntegerField(_("alerts"), default=0)
    truncated_alerts = models.PositiveIntegerField(
        _("alerts left out"), default=0, help_text=_("Alertmanager's truncatedAlerts: alerts the group did not carry.")
    )
    error = models.TextField(_("why it was refused"), blank=True)

    #: The row never changes; its history records who received it, without a second copy of the body.
    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        verbose_name = _("received payload")
        verbose_name_plural = _("received payloads")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="%(app_label)s_%(class)s_once_per_content"),
        ]
        indexes = [models.Index(fields=["truncated_alerts"], name="monitoring_payload_truncated")]

    def __str__(self):
        return f"{self.source} {date_text(self.received_at, seconds=True)}"


class Receipt(models.Model):
    """One arrival of a payload: when, from where, with the headers that matter."""

    payload = models.ForeignKey(Payload, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("payload"))
    received_at = models.DateTimeField(_("received at"))
    remote_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.payload.source_id} {date_text(self.received_at, seconds=True)}"


class Alert(models.Model):
    """One alert: an Alertmanager fingerprint from one ``startsAt``, or one Zabbix problem event, in UTC.

    At most one alert of a fingerprint is open at a time; ``ends_at`` is set only by a resolve (or by the
    same fingerprint starting again, which ends the one before). ``outage``: the outage it opened or joined;
    empty while its labels map to no contract."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("source"))
    key = models.CharField(_("fingerprint or event id"), max_length=120)
    name = models.CharField(_("alert"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("started at"))
    ends_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices)
    labels = models.JSONField(_("labels"), default=dict)
    annotations = models.JSONField(_("annotations"), default=dict, blank=True)
    generator_url = models.CharField(_("link"), max_length=1000, blank=True)
    mapping = models.CharField(_("mapping"), max_length=10, choices=Mapping.choices)
    outage = models.ForeignKey(
        "sla.Outage", on_delete=models.PROTECT, null=True, blank=True, related_name="alerts", verbose_name=_("outage")
    )
    first_payload = models.ForeignKey(
        Payload, on_delete=models.PROTECT, related_name="+", verbose_name=_("first received in")
    )
    resolved_payload = models.ForeignKey(
        Payload, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resolved in")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-starts_at", "-id"]
        permissions = [("map_alert", _("Can map an alert to contracts again"))]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key", "starts_at"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("This alert is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["source", "key"],
                condition=Q(ends_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_key",
                violation_error_message=_("An alert of this fingerprint is already open."),
            ),
            Check(
                condition=Q(status__in=AlertStatus.values) & Q(mapping__in=Mapping.values),
                name="%(app_label)s_%(class)s_status_valid",
                field="status",
                violation_error_message=_("Not a status of an alert."),
            ),
            Check(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                field="ends_at",
                violation_error_message=_("An alert ends after it starts."),
            ),
            Check(
                condition=Q(mapping=Mapping.UNMAPPED, outage__isnull=True) | Q(mapping=Mapping.MAPPED),
                name="%(app_label)s_%(class)s_unmapped_has_no_outage",
                field="mapping",
                violation_error_message=_("An alert that maps to no contract opens no outage."),
            ),
        ]
        indexes = [models.Index(fields=["mapping", "-starts_at"], name="monitoring_alert_mapping")]

    def __str__(self):
        return f"{self.name or self.key} {date_text(self.starts_at, seconds=True)}"


class NetworkIdentifier(models.Model):
    """How the network names a guaranteed contract (or one of its Smart HUB ports): a circuit id, unique on the
    network, and/or a device with a port, unique as a pair. An alert labelled with any of them hits the
    contract; an alert naming only a device hits every contract on it."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="network_identifiers", verbose_name=_("contract")
    )
    option = models.ForeignKey(
        "contracts.ContractOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_identifiers",
        verbose_name=_("Smart HUB port"),
    )
    circuit_id = models.CharField(_("circuit id"), max_length=80, blank=True)
    device = models.CharField(_("device"), max_length=120, blank=True)
    port = models.CharField(_("port"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network identifier")
        verbose_name_plural = _("network identifiers")
        ordering = ["contract__number", "circuit_id", "device", "port"]
        constraints = [
            models.UniqueConstraint(
                fields=["circuit_id"],
                condition=~Q(circuit_id=""),
                name="%(app_label)s_%(class)s_circuit_unique",
                violation_error_message=_("Another contract already has this circuit id: the network names one."),
            ),
            models.UniqueConstraint(
                fields=["device", "port"],
                condition=~Q(port=""),
                name="%(app_label)s_%(class)s_port_unique",
                violation_error_message=_("Another contract already has this port of this device."),
            ),
            Check(
                condition=~Q(circuit_id="") | ~Q(device=""),
                name="%(app_label)s_%(class)s_names_something",
                field="circuit_id",
                violation_error_message=_("Give a circuit id or a device."),
            ),
            Check(
                condition=Q(port="") | ~Q(device=""),
                name="%(app_label)s_%(class)s_port_on_a_device",
                field="device",
                violation_error_message=_("A port is a port of a device: give the device."),
            ),
        ]

    def __str__(self):
        return " / ".join(part for part in (self.circuit_id, self.device, self.port) if part)

    def clean(self):
        """Only guaranteed contracts are named (SPEC §8); a port is one of the contract's Smart HUB ports."""
        self.circuit_id, self.device, self.port = self.circuit_id.strip(), self.device.strip(), self.port.strip()
        if self.contract_id and self.contract.service_id not in SLA_SERVICES:
            raise ValidationError(
                {"contract": _("Only CXM2 and Smart HUB contracts carry the quality guarantee (SPEC §8).")}
            )
        if self.option_id and (
            self.option.contract_id != self.contract_id or self.option.kind_id not in SMART_HUB_PORTS
        ):
            raise ValidationError({"option": _("Choose a port of this Smart HUB contract (Smart HUB art. 4 ¶2).")})

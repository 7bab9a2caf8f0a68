from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    """What posts to a source's endpoint: Alertmanager's webhook (payload version 4) or our Zabbix media type."""

    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    ZABBIX = "zabbix", _("Zabbix")


class AlertStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


class Mapping(models.TextChoices):
    """Whether an alert's labels named contracts; one naming none waits on a worklist until staff record the
    identifier and map it again."""

    MAPPED = "mapped", _("Mapped to contracts")
    UNMAPPED = "unmapped", _("Maps to no contract")

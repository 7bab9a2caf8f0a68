"""Turning a kept payload's alerts into outages, in a task (``process_payload``).

- **Once.** An alert is one row per (source, fingerprint, ``startsAt``), or per (source, Zabbix event): an
  HA twin, a resend, a task run twice change nothing. One source's payloads are worked one at a time
  (its row locked), so two workers never record the same alert twice.
- **One open alert per fingerprint.** A fingerprint that starts again ends the alert before it at that
  start, until its own resolve (if it comes) says when; the new alert carries its outage on, so no one is
  told of a resolution that did not happen.
- **Resolves.** ``endsAt`` counts only when an alert is resolved; a resolve that arrives before its firing
  records the alert closed at once.
- **Outages.** A mapped alert joins the draft outage that is open, or that closed less than
  ``MONITORING_FLAP_SECONDS`` (5 minutes) before it started, and that hits one of its contracts or came from
  its fingerprint: flaps and an incident's several alerts make one outage. Otherwise it opens a draft. The
  outage's times follow its alerts: from the first start to the last end, open while one is open.
- **Unmapped.** An alert whose labels name no contract is kept on a worklist; mapped again once staff record
  the identifier (``place``), it opens or joins its outage then.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.tasks import task
from django.utils.translation import gettext as _

from sla.models import Outage, OutageOrigin, OutageState
from sla.services import drafts

from . import mapping
from .choices import AlertStatus, Mapping
from .formats import Event, read
from .models import Alert, Payload, Source


@task
def process_payload(payload_id: int) -> None:
    """Work a kept payload's alerts into outages (idempotent)."""
    payload = Payload.objects.select_related("source").filter(pk=payload_id).first()
    if payload is None or payload.error:
        return
    batch = read(payload.source.kind, payload.body.encode("utf-8"))
    with transaction.atomic():
        lock_source(payload.source_id)
        for event in batch.events:
            record(payload, event)


def lock_source(source_id: int) -> None:
    """One worker at a time per source. ``FOR NO KEY UPDATE``: a plain ``FOR UPDATE`` also blocks the foreign-key
    check of every payload the intake inserts for the source, so each post waited for the batch being worked."""
    Source.objects.select_for_update(no_key=True).get(pk=source_id)


def record(payload: Payload, event: Event) -> Alert:
    """Record ``event`` of ``payload`` once, and what it changes: a new alert is placed in an outage, a
    resolve ends its alert and, with it, perhaps the outage."""
    source = payload.source
    alert = Alert.objects.filter(source=source, key=event.key, starts_at=event.starts_at).first()
    if alert is not None:
        if event.status == AlertStatus.RESOLVED and alert.resolved_payload_id is None:
            end(alert, event.ends_at, payload=payload, reason=_("Resolved"))
        return alert
    ends_at, status = event.ends_at, event.status
    before = Alert.objects.filter(source=source, key=event.key, ends_at__isnull=True).first()
    restarted = before is not None and before.starts_at < event.starts_at
    if restarted:  # its outage follows once the new alert is placed: no resolution notice if the new one carries it on
        _end(before, event.starts_at, payload=None, reason=_("Ended: its fingerprint started again"))
    elif before is not None and ends_at is None:  # an older firing, arriving late: it ended when the open one began
        ends_at, status = before.starts_at, AlertStatus.RESOLVED
    alert = Alert(
        source=source,
        key=event.key,
        name=event.name,
        starts_at=event.starts_at,
        ends_at=ends_at,
        status=status,
        labels=event.labels,
        annotations=event.annotations,
        generator_url=event.url,
        mapping=Mapping.UNMAPPED,
        first_payload=payload,
        resolved_payload=payload if event.status == AlertStatus.RESOLVED else None,
    )
    _save(alert, _("Received"))
    place(alert)
    if restarted and before.outage_id:
        follow(before.outage)
    return alert


def _save(alert: Alert, reason: str, by=None) -> None:
    """Saved as the task writes it (no user, unless staff mapped it again); the database's constraints are its
    rules."""
    alert._history_user, alert._change_reason = by, reason
    alert.save()


def _end(alert: Alert, at: datetime, *, payload: Payload | None, reason: str) -> None:
    alert.ends_at, alert.status = max(at, alert.starts_at), AlertStatus.RESOLVED
    alert.resolved_payload = payload
    _save(alert, reason)


def end(alert: Alert, at: datetime, *, payload: Payload | None, reason: str) -> None:
    """End ``alert`` at ``at`` (its resolve) and let its outage follow."""
    _end(alert, at, payload=payload, reason=reason)
    if alert.outage_id:
        follow(alert.outage)


def cause_of(alert: Alert) -> str:
    """The outage's cause as the alert words it (staff may rewrite it)."""
    summary = alert.annotations.get("summary") or alert.annotations.get("description") or ""
    name = alert.name or alert.key
    return f"{name}: {summary}" if summary else name


def _joinable(alert: Alert, contracts: list) -> Outage | None:
    """The draft from the alerts that ``alert`` belongs to (see the module's docstring), the earliest one."""
    flap = timedelta(seconds=settings.MONITORING_FLAP_SECONDS)
    overlaps = Q(detected_ended_at__isnull=True) | Q(detected_ended_at__gte=alert.starts_at - flap)
    if alert.ends_at is not None:
        overlaps &= Q(detected_started_at__lte=alert.ends_at + flap)
    ours = Q(affected__contract__in=contracts) | Q(alerts__source=alert.source_id, alerts__key=alert.key)
    rows = Outage.objects.filter(overlaps, ours, state=OutageState.DRAFT, origin=OutageOrigin.MONITORING)
    return rows.distinct().order_by("detected_started_at", "pk").first()


def place(alert: Alert, *, by=None) -> Outage | None:
    """Map ``alert`` to its contracts and open or join its outage; an alert that maps to none waits."""
    contracts = mapping.contracts_for(alert.labels)
    if not contracts:
        return None
    outage = _joinable(alert, contracts)
    joins = outage is not None
    if not joins:
        outage = drafts.open_draft(
            started_at=alert.starts_at, ended_at=alert.ends_at, cause=cause_of(alert), contracts=contracts
        )
    alert.mapping, alert.outage = Mapping.MAPPED, outage
    _save(alert, _("Mapped to %(count)d contract(s)") % {"count": len(contracts)}, by)
    if joins:
        drafts.extend(outage, contracts)
        follow(outage)
    return outage


def follow(outage: Outage) -> None:
    """The outage's times as its alerts give them: from the first start to the last end, open while one is open."""
    times = outage.alerts.aggregate(
        start=Min("starts_at"), end=Max("ends_at"), open=Count("pk", filter=Q(ends_at__isnull=True))
    )
    drafts.follow_alerts(outage, started_at=times["start"], ended_at=None if times["open"] else times["end"])


@transaction.atomic
def map_again(alert: Alert, *, by) -> Outage | None:
    """Staff recorded the identifiers an unmapped alert names: it opens or joins its outage now (the failure
    notices go at once, late if the alert is old). Its outage, or None while it still maps to nothing."""
    lock_source(alert.source_id)
    row = Alert.objects.get(pk=alert.pk)
    return row.outage if row.mapping == Mapping.MAPPED else place(row, by=by)

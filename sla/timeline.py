"""The quality guarantee on the customer timeline: the outages that hit the customer's contracts, the credits
granted, and the recorded edits of both. Added to ``backoffice.timeline`` in ``SlaConfig.ready()``."""

from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.display import date_text, yen
from backoffice.timeline import Event, history_events, needs

from .models import AffectedContract, Credit, Outage, OutageState


@needs("sla.view_outage", "sla.view_affectedcontract")
def outage_events(customer):
    rows = AffectedContract.objects.filter(contract__customer=customer).select_related("outage", "contract")
    for row in rows:
        outage = row.outage
        text = _("%(start)s to %(end)s; credits before the cap %(credits)s") % {
            "start": date_text(outage.started_at, seconds=True),
            "end": date_text(outage.ended_at, seconds=True) if outage.ended_at else _("going on"),
            "credits": row.credit_text(),
        }
        if outage.state == OutageState.DRAFT:
            text += " " + _("(draft from the alerts, to confirm)")
        if outage.excluded:
            text += " " + _("(excluded: %(reason)s)") % {"reason": outage.get_exclusion_reason_display()}
        elif row.excluded:
            text += " " + _("(excluded: %(reason)s)") % {"reason": row.get_exclusion_reason_display()}
        url = reverse("admin:sla_outage_change", args=[outage.pk])
        yield Event(outage.started_on, _("Outage"), row.contract.number, text, url, at=outage.started_at)


@needs("sla.view_credit")
def credit_events(customer):
    rows = Credit.objects.filter(claim__affected__contract__customer=customer).select_related(
        "claim__affected__contract"
    )
    for credit in rows:
        url = reverse("admin:sla_credit_change", args=[credit.pk])
        text = _("credit %(amount)s, %(status)s") % {
            "amount": yen(credit.amount),
            "status": credit.get_status_display(),
        }
        yield Event(credit.granted_on, _("Credit granted"), credit.claim.affected.contract.number, text, url)


@needs("sla.view_outage", "sla.view_affectedcontract")
def outage_history_events(customer):
    outages = AffectedContract.objects.filter(contract__customer=customer).values("outage_id")
    yield from history_events(
        Outage,
        Outage.history.filter(id__in=outages),
        lambda record: f"{date_text(record.started_at)} {record.cause[:30]}",
    )


@needs("sla.view_credit")
def credit_history_events(customer):
    yield from history_events(
        Credit,
        Credit.history.filter(claim__affected__contract__customer=customer).select_related("claim__affected__contract"),
        lambda record: record.claim.affected.contract.number,
    )


SOURCES = (outage_events, credit_events, outage_history_events, credit_history_events)

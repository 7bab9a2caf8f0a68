"""Failure notices (障害通知) the system e-mails itself, through the outbox, to each contract's failure contact
(障害時連絡先): one when an outage from the alerts opens on the contract, one when it is resolved.

A notice is recorded as a ``FailureNotification`` whose time of notification is the moment the outbox handed
its e-mail over (``sent``), never the moment it was queued: the guarantee's 30 minutes (annex 1, 2) run
to the first. A contract whose customer has no failure contact e-mail keeps a notification without a message:
staff call and record the time themselves.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.moves import save_audited
from outbox import sending

from ..models import FailureNotification, Outage
from ..models.moments import to_the_second
from . import outages

TOPIC = "sla.failure_notice"
#: Customers are told in Japanese, whoever's action opened the outage.
LANGUAGE = "ja"


def reference(outage: Outage) -> str:
    """The reference the customer quotes back (``OUT-000123``)."""
    return f"OUT-{outage.pk:06d}"


def _text(template: str, outage: Outage, contract) -> tuple[str, str]:
    with translation.override(LANGUAGE):
        context = {
            "customer": contract.customer,
            "contract": contract,
            "service": contract.service.name,
            "started": date_text(outage.detected_started_at or outage.started_at, seconds=True),
            "ended": date_text(outage.detected_ended_at, seconds=True) if outage.detected_ended_at else "",
            "reference": reference(outage),
        }
        subject, _blank, body = render_to_string(template, context).partition("\n\n")
        return subject.strip(), body.strip() + "\n"


def notify(outage: Outage, contracts) -> list[FailureNotification]:
    """Record a failure notification for each of ``contracts`` not yet notified of ``outage`` and queue its
    e-mail, in the caller's transaction; detected when the alerts say the outage started."""
    known = set(FailureNotification.objects.filter(outage=outage).values_list("contract_id", flat=True))
    written = []
    for contract in contracts:
        if contract.pk in known:  # already told of this outage
            continue
        customer = contract.customer
        notice = FailureNotification(
            outage=outage,
            customer=customer,
            contract=contract,
            detected_at=to_the_second(outage.detected_started_at or outage.started_at),
        )
        if customer.failure_contact_email:
            subject, body = _text("sla/failure_notice.txt", outage, contract)
            notice.message = sending.post(
                topic=TOPIC,
                key=f"{TOPIC}:{outage.pk}:{contract.pk}",
                to=customer.failure_contact_email,
                subject=subject,
                body=body,
                urgent=True,
            )
        save_audited(notice, by=None, reason=_("Failure notice queued") if notice.message else _("No e-mail address"))
        written.append(notice)
    return written


def notify_resolved(outage: Outage) -> None:
    """Queue the resolution e-mail of each notice the system sent for ``outage`` (again after a flap reopened it)."""
    ended = outage.detected_ended_at
    notices = FailureNotification.objects.filter(outage=outage, message__isnull=False).select_related(
        "contract__customer", "contract__service"
    )
    for notice in notices:
        subject, body = _text("sla/resolution_notice.txt", outage, notice.contract)
        notice.resolution = sending.post(
            topic=TOPIC,
            key=f"{TOPIC}:resolved:{notice.pk}:{ended:%Y%m%dT%H%M%S}",
            to=notice.contact_email,
            subject=subject,
            body=body,
        )
        save_audited(notice, by=None, reason=_("Resolution notice queued"))


def sent(sender, message, **kwargs):
    """The outbox handed ``message`` over (in its transaction): the notices it carried are notified at that
    moment, and their outages' credits follow."""
    rows = FailureNotification.objects.select_for_update().filter(message=message, notified_at__isnull=True)
    for notice in rows.select_related("outage"):
        notice.notified_at = max(to_the_second(message.sent_at), notice.detected_at)
        save_audited(notice, by=None, reason=_("Notified: the e-mail was sent"))
        outages.recompute(notice.outage, by=None)

"""What other apps (equipment, billing, SLA) hear when a contract or an option moves.

The lifecycle and change services send these once their transaction commits, so a receiver never
sees a move that was rolled back, and never runs inside it. Every signal is sent with ``sender`` =
the model (``Contract`` or ``ContractOption``) and ``instance`` = the row as committed, plus:

- ``accepted``: ``on`` (the acceptance date; the initial fee arises, SPEC §1)
- ``billing_started``: ``on`` (the billing start; monthly fees and the minimum period run from it)
- ``notice_registered``: ``received_on``, ``effective_end_on`` (the last day of service)
- ``notice_withdrawn``: nothing more (the row is in service again)
- ``terminated``: ``on`` (the last day of service), ``reason`` (a ``TerminationReason``)
- ``change_accepted``: ``on``, ``changes`` (the ``ContractChange`` rows recorded, with their fees)
"""

from django.dispatch import Signal

from backoffice.signals import send_on_commit

accepted = Signal()
billing_started = Signal()
notice_registered = Signal()
notice_withdrawn = Signal()
terminated = Signal()
change_accepted = Signal()


__all__ = [
    "accepted",
    "billing_started",
    "change_accepted",
    "notice_registered",
    "notice_withdrawn",
    "send_on_commit",
    "terminated",
]

"""Sending the e-mails of dunning notices and invoice deliveries (``models.mailed``) through the outbox."""

from outbox import sending
from outbox.choices import MessageState


def send_each(rows, *, progress=None) -> tuple[list, list]:
    """Send each row's e-mail unless it went already or is going: ``(sent, failed)``; a row waiting for an
    address is failed, one whose e-mail another process is sending is in neither. ``progress(done, total)``
    is told after each row."""
    rows = list(rows)
    sent, failed = [], []
    for done, row in enumerate(rows):
        if progress:
            progress(done, len(rows))
        if row.unaddressed:
            failed.append(row)
            continue
        row.message = sending.send(row.message)
        if row.message.state == MessageState.SENT:
            sent.append(row)
        elif row.message.state == MessageState.FAILED:
            failed.append(row)
    return sent, failed

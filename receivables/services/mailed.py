"""Sending the e-mails of dunning notices and invoice deliveries (``models.mailed``) through the outbox."""

from outbox import sending
from outbox.choices import MessageState


def send_each(rows) -> tuple[list, list]:
    """Send each row's e-mail unless it went already or is going: ``(sent, failed)``; a row waiting for an
    address is failed, one whose e-mail another process is sending is in neither."""
    sent, failed = [], []
    for row in rows:
        if row.unaddressed:
            failed.append(row)
            continue
        row.message = sending.send(row.message)
        if row.message.state == MessageState.SENT:
            sent.append(row)
        elif row.message.state == MessageState.FAILED:
            failed.append(row)
    return sent, failed

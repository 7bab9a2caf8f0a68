"""The task that sends one e-mail of the outbox: it takes the message's id, and the row says the rest."""

from django.tasks import task

from . import sending
from .models import Message


@task
def send_message(message_id: int) -> None:
    message = Message.objects.filter(pk=message_id).first()
    if message is not None:
        sending.send(message)

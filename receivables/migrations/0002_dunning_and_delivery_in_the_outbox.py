"""Dunning notices and invoice deliveries send their e-mails through the outbox: each sent one gets its
message, which now says that it went (the rows' own status, error and address move there). One not sent
(failed, or cut off while sending) is left without a message, as a row waiting for its e-mail: the next
daily run queues it with today's text, as it would have tried it again."""

from datetime import datetime, time

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

import backoffice.constraints
import backoffice.dates


def queue_sent(apps, schema_editor):
    """Give every notice and e-mail delivery that was sent its message, sent."""
    Message = apps.get_model("outbox", "Message")
    Notice = apps.get_model("receivables", "DunningNotice")
    Delivery = apps.get_model("receivables", "InvoiceDelivery")

    def sent(row, *, topic, key, subject, at):
        row.message = Message.objects.create(
            topic=topic, key=key, to=row.to_email, subject=subject, body="", state="sent", attempts=1,
            tried_at=at, sent_at=at,
        )  # fmt: skip
        row.save(update_fields=["message"])

    for notice in Notice.objects.filter(status="sent").exclude(to_email="").iterator():
        at = timezone.make_aware(datetime.combine(notice.queued_on, time(9)))
        key = f"receivables.dunning:{notice.invoice_id}:{notice.step}"
        sent(notice, topic="receivables.dunning", key=key, subject=f"Dunning notice +{notice.step}", at=at)
    for delivery in Delivery.objects.filter(method="email", status="sent").exclude(to_email="").iterator():
        key = f"receivables.delivery:{delivery.pk}"
        sent(delivery, topic="receivables.delivery", key=key, subject="Invoice", at=delivery.created_at)


def _message_field(null=True):
    return models.OneToOneField(
        blank=null,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="%(class)s",
        to="outbox.message",
        verbose_name="e-mail",
    )


def _historical_message_field():
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="outbox.message",
        verbose_name="e-mail",
    )


def _notice_fields(model):
    return [
        migrations.AlterField(
            model_name=model,
            name="queued_on",
            field=backoffice.dates.DateField(
                help_text="The day it was due, or queued once there was an address.", verbose_name="queued on"
            ),
        ),
        migrations.AlterField(
            model_name=model,
            name="owed",
            field=models.BigIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(999999999999),
                ],
                verbose_name="owed when queued (yen)",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outbox"),
        ("receivables", "0001_receivables"),
    ]

    operations = [
        migrations.RenameField("dunningnotice", "sent_on", "queued_on"),
        migrations.RenameField("historicaldunningnotice", "sent_on", "queued_on"),
        migrations.RenameField("invoicedelivery", "attempted_at", "created_at"),
        migrations.RenameField("historicalinvoicedelivery", "attempted_at", "created_at"),
        migrations.AlterModelOptions(
            name="dunningnotice",
            options={
                "ordering": ["-queued_on", "-id"],
                "verbose_name": "dunning notice",
                "verbose_name_plural": "dunning notices",
            },
        ),
        migrations.AlterModelOptions(
            name="invoicedelivery",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [("resend_invoicedelivery", "Can resend an invoice")],
                "verbose_name": "invoice delivery",
                "verbose_name_plural": "invoice deliveries",
            },
        ),
        migrations.AddField("dunningnotice", "message", _message_field()),
        migrations.AddField("historicaldunningnotice", "message", _historical_message_field()),
        migrations.AddField("invoicedelivery", "message", _message_field()),
        migrations.AddField("historicalinvoicedelivery", "message", _historical_message_field()),
        migrations.RunPython(queue_sent, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="dunningnotice", name="receivables_dunningnotice_status_valid"),
        migrations.RemoveConstraint(model_name="invoicedelivery", name="receivables_invoicedelivery_choices_valid"),
    ]
    operations += [
        migrations.RemoveField(model, field)
        for model in ("dunningnotice", "historicaldunningnotice", "invoicedelivery", "historicalinvoicedelivery")
        for field in ("status", "error", "to_email")
    ]
    operations += [*_notice_fields("dunningnotice"), *_notice_fields("historicaldunningnotice")]
    operations += [
        migrations.AlterField(
            model_name="invoicedelivery",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
        ),
        migrations.AlterField(
            model_name="historicalinvoicedelivery",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
        ),
        migrations.AddConstraint(
            model_name="invoicedelivery",
            constraint=backoffice.constraints.Check(
                condition=models.Q(("method__in", ["email", "post"])),
                field="method",
                name="receivables_invoicedelivery_method_valid",
                violation_error_message="Not a method of a delivery.",
            ),
        ),
        migrations.AddConstraint(
            model_name="invoicedelivery",
            constraint=backoffice.constraints.Check(
                condition=models.Q(("method", "email"), ("message__isnull", True), _connector="OR"),
                field="message",
                name="receivables_invoicedelivery_post_not_mailed",
                violation_error_message="An invoice sent by post has no e-mail.",
            ),
        ),
    ]

"""Return reminders send their e-mails through the outbox: each reminder gets its message, which now says
whether it went (the reminder's own status and error move there)."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

import backoffice.dates

TOPIC = "equipment.reminder"


def queue_existing(apps, schema_editor):
    """Give every reminder its message, in the state its own status said."""
    Reminder = apps.get_model("equipment", "ReturnReminder")
    Message = apps.get_model("outbox", "Message")
    states = {"sent": "sent", "failed": "failed", "sending": "failed"}
    for reminder in Reminder.objects.all().iterator():
        state = states[reminder.status]
        reminder.message = Message.objects.create(
            topic=TOPIC,
            key=f"{TOPIC}:{reminder.unit_id}:{reminder.kind}:{reminder.deadline.isoformat()}",
            to=reminder.to_email,
            subject=f"Return reminder ({reminder.kind}) {reminder.deadline.isoformat()}",
            body="",
            state=state,
            attempts=1,
            error=reminder.error or ("interrupted" if reminder.status == "sending" else ""),
            tried_at=timezone.now(),
            retry_at=timezone.now() if state == "failed" else None,
            sent_at=timezone.now() if state == "sent" else None,
        )
        reminder.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [
        ("equipment", "0003_reminder_status"),
        ("outbox", "0001_outbox"),
    ]

    operations = [
        migrations.RenameField("returnreminder", "sent_on", "queued_on"),
        migrations.RenameField("historicalreturnreminder", "sent_on", "queued_on"),
        migrations.AlterField(
            model_name="returnreminder",
            name="queued_on",
            field=backoffice.dates.DateField(verbose_name="queued on"),
        ),
        migrations.AlterField(
            model_name="historicalreturnreminder",
            name="queued_on",
            field=backoffice.dates.DateField(verbose_name="queued on"),
        ),
        migrations.AlterModelOptions(
            name="returnreminder",
            options={
                "ordering": ["-queued_on", "-id"],
                "verbose_name": "return reminder",
                "verbose_name_plural": "return reminders",
            },
        ),
        migrations.AddField(
            model_name="returnreminder",
            name="message",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="return_reminder",
                to="outbox.message",
                verbose_name="e-mail",
            ),
        ),
        migrations.AddField(
            model_name="historicalreturnreminder",
            name="message",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="outbox.message",
                verbose_name="e-mail",
            ),
        ),
        migrations.RunPython(queue_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="returnreminder",
            name="message",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="return_reminder",
                to="outbox.message",
                verbose_name="e-mail",
            ),
        ),
        migrations.RemoveConstraint(model_name="returnreminder", name="equipment_returnreminder_status_valid"),
        migrations.RemoveField(model_name="returnreminder", name="error"),
        migrations.RemoveField(model_name="returnreminder", name="status"),
        migrations.RemoveField(model_name="historicalreturnreminder", name="error"),
        migrations.RemoveField(model_name="historicalreturnreminder", name="status"),
    ]

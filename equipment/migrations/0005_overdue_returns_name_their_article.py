"""Overdue returns name the article they rest on, and only a Managed Router contract's end deems a unit lost
(art. 9 ¶2): each awaited unit and each overdue incident gets its ground, read as ``rules.return_ground``
reads it; an overdue return not deemed lost and still out is followed up from today; the customer's answers
are kept (``FollowUp``)."""

import backoffice.constraints
import backoffice.dates
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

AWAITED = ("return_requested", "not_returned")
FAILURE_STATES = ("failure_reported", "under_investigation")


def _ground(Incident, *, unit_id, contract, option_id, status) -> str:
    """What a return rests on, from the holder the unit was asked back from."""
    if option_id:
        return "rental"
    if contract is not None and contract.terminated_on is not None:
        return "contract_ended"
    swapped = Incident.objects.filter(unit=unit_id, contract=contract, kind="failure", resolution="replaced")
    return "failed_unit" if status in FAILURE_STATES or swapped.exists() else "asked_back"


def name_grounds(apps, schema_editor):
    Unit = apps.get_model("equipment", "Unit")
    Incident = apps.get_model("equipment", "Incident")
    for unit in Unit.objects.filter(status__in=AWAITED).select_related("contract").iterator():
        unit.return_ground = _ground(
            Incident, unit_id=unit.pk, contract=unit.contract, option_id=unit.option_id, status=unit.status
        )
        unit.save(update_fields=["return_ground"])
    today = timezone.localdate()
    overdue = Incident.objects.filter(kind="not_returned").select_related("unit", "contract")
    for incident in overdue.iterator():
        unit = incident.unit
        current = unit.status == "not_returned" and unit.return_deadline == incident.return_deadline
        if current:
            incident.ground = unit.return_ground
        else:
            incident.ground = _ground(
                Incident, unit_id=unit.pk, contract=incident.contract, option_id=incident.option_id, status=""
            )
        if current and incident.ground != "contract_ended":
            incident.follow_up_on = today
        incident.save(update_fields=["ground", "follow_up_on"])


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0012_list_order_and_search_indexes'),
        ('equipment', '0004_reminders_in_the_outbox'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', backoffice.dates.DateField(verbose_name='date')),
                ('answer', models.TextField(verbose_name="the customer's answer")),
                ('next_on', backoffice.dates.DateField(verbose_name='follow up next on')),
            ],
            options={
                'verbose_name': 'follow-up',
                'verbose_name_plural': 'follow-ups',
                'ordering': ['incident', 'on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalFollowUp',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('on', backoffice.dates.DateField(verbose_name='date')),
                ('answer', models.TextField(verbose_name="the customer's answer")),
                ('next_on', backoffice.dates.DateField(verbose_name='follow up next on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical follow-up',
                'verbose_name_plural': 'historical follow-ups',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicalincident',
            name='follow_up_on',
            field=backoffice.dates.DateField(blank=True, help_text='The day a person next contacts the customer about the overdue return.', null=True, verbose_name='follow up on'),
        ),
        migrations.AddField(
            model_name='historicalincident',
            name='ground',
            field=models.CharField(blank=True, choices=[('contract_ended', 'Managed Router contract ended'), ('rental', 'Rented ISP Platform router no longer used'), ('failed_unit', 'Failed unit swapped'), ('asked_back', 'Asked back while the contract runs')], max_length=20, verbose_name='returned under'),
        ),
        migrations.AddField(
            model_name='historicalincident',
            name='recorded_lost_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded lost by'),
        ),
        migrations.AddField(
            model_name='historicalincident',
            name='recorded_lost_on',
            field=backoffice.dates.DateField(blank=True, null=True, verbose_name='recorded lost on'),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='return_ground',
            field=models.CharField(blank=True, choices=[('contract_ended', 'Managed Router contract ended'), ('rental', 'Rented ISP Platform router no longer used'), ('failed_unit', 'Failed unit swapped'), ('asked_back', 'Asked back while the contract runs')], help_text='What the return deadline rests on, and so what a missed deadline leads to.', max_length=20, verbose_name='returned under'),
        ),
        migrations.AddField(
            model_name='incident',
            name='follow_up_on',
            field=backoffice.dates.DateField(blank=True, help_text='The day a person next contacts the customer about the overdue return.', null=True, verbose_name='follow up on'),
        ),
        migrations.AddField(
            model_name='incident',
            name='ground',
            field=models.CharField(blank=True, choices=[('contract_ended', 'Managed Router contract ended'), ('rental', 'Rented ISP Platform router no longer used'), ('failed_unit', 'Failed unit swapped'), ('asked_back', 'Asked back while the contract runs')], max_length=20, verbose_name='returned under'),
        ),
        migrations.AddField(
            model_name='incident',
            name='recorded_lost_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded lost by'),
        ),
        migrations.AddField(
            model_name='incident',
            name='recorded_lost_on',
            field=backoffice.dates.DateField(blank=True, null=True, verbose_name='recorded lost on'),
        ),
        migrations.AddField(
            model_name='unit',
            name='return_ground',
            field=models.CharField(blank=True, choices=[('contract_ended', 'Managed Router contract ended'), ('rental', 'Rented ISP Platform router no longer used'), ('failed_unit', 'Failed unit swapped'), ('asked_back', 'Asked back while the contract runs')], help_text='What the return deadline rests on, and so what a missed deadline leads to.', max_length=20, verbose_name='returned under'),
        ),
        migrations.RunPython(name_grounds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='incident',
            constraint=backoffice.constraints.Check(condition=models.Q(models.Q(('ground__in', ['contract_ended', 'rental', 'failed_unit', 'asked_back']), ('kind', 'not_returned')), models.Q(models.Q(('kind', 'not_returned'), _negated=True), ('ground', '')), _connector='OR'), field='ground', name='equipment_incident_ground_of_unreturned_only', violation_error_message='An overdue return names the article it rests on, and only it.'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=backoffice.constraints.Check(condition=models.Q(models.Q(('follow_up_on__isnull', True), ('recorded_lost_on__isnull', True)), models.Q(('kind', 'not_returned'), models.Q(('ground', 'contract_ended'), _negated=True)), _connector='OR'), field='recorded_lost_on', name='equipment_incident_followed_up_unless_deemed_lost', violation_error_message='Only an overdue return the terms do not deem lost is followed up and recorded lost by staff (Managed Router art. 9 ¶2).'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=backoffice.constraints.Check(condition=models.Q(models.Q(('status__in', frozenset(['not_returned', 'return_requested'])), ('return_ground__in', ['contract_ended', 'rental', 'failed_unit', 'asked_back'])), models.Q(models.Q(('status__in', frozenset(['not_returned', 'return_requested'])), _negated=True), ('return_ground', '')), _connector='OR'), field='return_ground', name='equipment_unit_ground_while_awaited', violation_error_message='An awaited return names what it rests on, and only it.'),
        ),
        migrations.AddField(
            model_name='followup',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='staff'),
        ),
        migrations.AddField(
            model_name='followup',
            name='incident',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='equipment.incident', verbose_name='incident'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='staff'),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='incident',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='equipment.incident', verbose_name='incident'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=backoffice.constraints.Check(condition=models.Q(('next_on__gt', models.F('on'))), field='next_on', name='equipment_followup_next_after_contact', violation_error_message='The next follow-up comes after this one.'),
        ),
    ]

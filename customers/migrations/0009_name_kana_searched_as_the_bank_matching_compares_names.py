from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

import backoffice.readings
from backoffice.search_indexes import TrigramSearchIndex


def key_readings(apps, schema_editor):
    """The readings of the customers and of their history as searched (``backoffice.readings.reading_key``), a
    thousand rows at a time: a derived column, so no new history row, and no change shown at the next edit."""
    for name in ("Customer", "HistoricalCustomer"):
        model = apps.get_model("customers", name)
        rows = []
        for row in model.objects.exclude(name_kana="").only("pk", "name_kana").iterator(chunk_size=1000):
            row.name_kana_key = backoffice.readings.reading_key(row.name_kana)
            rows.append(row)
            if len(rows) == 1000:
                model.objects.bulk_update(rows, ["name_kana_key"])
                rows = []
        model.objects.bulk_update(rows, ["name_kana_key"])


class Migration(migrations.Migration):
    """Customers are searched by reading however it is typed, legal forms ignored: a stored key of the reading,
    in the form the bank matching compares names in, with a trigram index on PostgreSQL."""

    dependencies = [
        ("customers", "0008_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="name_kana_key",
            field=backoffice.readings.ReadingKeyField(
                max_length=200, source="name_kana", verbose_name="name (kana) as searched"
            ),
        ),
        migrations.AddField(
            model_name="historicalcustomer",
            name="name_kana_key",
            field=backoffice.readings.ReadingKeyField(
                max_length=200, source="name_kana", verbose_name="name (kana) as searched"
            ),
        ),
        migrations.RunPython(key_readings, migrations.RunPython.noop),
        TrigramExtension(),
        TrigramSearchIndex("customers_customer", "name_kana_key"),
    ]

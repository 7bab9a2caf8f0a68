"""The rental cancellation fee is billing's derivation alone (``equipment.billing_source``): the rows an
after-commit receiver wrote beside it, which could be missing or disagree, are dropped with their history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("equipment", "0005_overdue_returns_name_their_article"),
    ]

    operations = [
        migrations.DeleteModel(name="HistoricalRentalCancellationFee"),
        migrations.DeleteModel(name="RentalCancellationFee"),
    ]

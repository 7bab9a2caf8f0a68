from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from backoffice.search_indexes import TrigramSearchIndex

SEARCHED = {
    "customers_customer": (
        "code",
        "name",
        "name_kana",
        "address",
        "failure_contact_email",
        "billing_contact_email",
    ),
    "customers_relatedcontract": ("reference", "closed_network", "firewall_item"),
}


class Migration(migrations.Migration):
    """The admin's searched columns get trigram indexes on PostgreSQL (``backoffice.search_indexes``)."""

    dependencies = [
        ("customers", "0007_invoice_by_post"),
    ]

    operations = [
        TrigramExtension(),
        *(TrigramSearchIndex(table, column) for table, columns in SEARCHED.items() for column in columns),
    ]

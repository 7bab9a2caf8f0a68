from django.db import migrations


def load(apps, schema_editor):
    from contracts.catalog_data import load_catalog

    load_catalog(apps.get_model("contracts", "Service"), apps.get_model("contracts", "Item"),
                 apps.get_model("contracts", "OptionKind"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

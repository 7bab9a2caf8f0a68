"""The role groups. Their permissions are given by ``roles.sync_roles`` on post_migrate, once
Django has created the permissions (after every migration)."""

from django.db import migrations

from backoffice.roles import ROLE_NAMES


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

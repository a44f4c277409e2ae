"""Let Writers put authors on their stories (and read author profiles); Editors get the
Author model's permissions with the rest of the stories app."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0005_photo_permissions"),
        ("stories", "0006_authors"),
    ]
    operations = [migrations.RunPython(refresh_roles, migrations.RunPython.noop)]

"""Give the Editor group the newsletters app's permissions (subscribers, mailings, send log)."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


def drop_permissions(apps, schema_editor):
    from newsdesk.site.desk.roles import drop_editor_permissions_in_migration

    drop_editor_permissions_in_migration(apps, "newsletters")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_editors_rate"),
        ("newsletters", "0001_initial"),
    ]
    operations = [migrations.RunPython(refresh_roles, drop_permissions)]

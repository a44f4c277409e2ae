"""Give the Editor and Writer groups the photo library's permissions (stories.Photo)."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_auditentry_via"),
        ("stories", "0004_photo_library"),
    ]
    operations = [migrations.RunPython(refresh_roles, migrations.RunPython.noop)]

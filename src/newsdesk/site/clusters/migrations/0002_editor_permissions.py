"""Give the Editor group the clusters app's permissions (pin, split, merge, lock bullets)."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


def drop_permissions(apps, schema_editor):
    from newsdesk.site.desk.roles import drop_editor_permissions_in_migration

    drop_editor_permissions_in_migration(apps, "clusters")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_auditentry_via"),
        ("clusters", "0001_clusters_and_memberships"),
    ]
    operations = [migrations.RunPython(refresh_roles, drop_permissions)]

"""Give the Editor group the ratings app's permissions (reader votes and their tallies)."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


def drop_ratings_permissions(apps, schema_editor):
    from newsdesk.site.desk.roles import drop_editor_permissions_in_migration

    drop_editor_permissions_in_migration(apps, "ratings")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_roles"),
        ("ratings", "0001_initial"),
    ]
    operations = [migrations.RunPython(refresh_roles, drop_ratings_permissions)]

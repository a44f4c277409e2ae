"""Give the Editor group the ratings app's permissions (reader votes and their tallies)."""

from django.db import migrations


def refresh_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from newsdesk.site.desk.roles import ensure_roles

    # Permissions are normally made after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    ensure_roles(apps)


def drop_ratings_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(*Permission.objects.filter(content_type__app_label="ratings"))


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_roles"),
        ("ratings", "0001_initial"),
    ]
    operations = [migrations.RunPython(refresh_roles, drop_ratings_permissions)]

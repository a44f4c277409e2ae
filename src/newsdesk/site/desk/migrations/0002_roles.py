"""Create the Editor and Writer groups."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from newsdesk.site.desk.roles import ensure_roles_in_migration

    ensure_roles_in_migration(apps)


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Writer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("stories", "0002_desk_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "__latest__"),
    ]
    operations = [migrations.RunPython(create_roles, drop_roles)]

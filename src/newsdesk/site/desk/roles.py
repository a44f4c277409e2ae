"""The newsroom's two roles as Django groups: Editor (everything) and Writer (own drafts)."""

from __future__ import annotations

EDITOR, WRITER = "Editor", "Writer"

# Writers add and edit their own stories (ModelAdmin limits them to their own) and the
# parts inside them; they read sections and editions. They never publish or delete stories.
WRITER_PERMISSIONS = [
    ("stories", "add_story"),
    ("stories", "change_story"),
    ("stories", "view_story"),
    ("stories", "add_quicklookbullet"),
    ("stories", "change_quicklookbullet"),
    ("stories", "delete_quicklookbullet"),
    ("stories", "view_quicklookbullet"),
    ("stories", "add_caption"),
    ("stories", "change_caption"),
    ("stories", "delete_caption"),
    ("stories", "view_caption"),
    ("stories", "add_photo"),  # upload to the photo library and reuse its photos
    ("stories", "view_photo"),
    ("stories", "add_storysection"),
    ("stories", "change_storysection"),
    ("stories", "delete_storysection"),
    ("stories", "view_storysection"),
    ("stories", "add_storyauthor"),
    ("stories", "change_storyauthor"),
    ("stories", "delete_storyauthor"),
    ("stories", "view_storyauthor"),
    ("stories", "view_author"),
    ("stories", "view_section"),
    ("stories", "view_edition"),
]
# Editors get every permission of these apps (publishing, sections, editions, users, reader
# votes and their tallies, newsletter subscribers and mailings).
EDITOR_APPS = ["stories", "desk", "auth", "reversion", "ratings", "newsletters", "clusters"]


def ensure_roles(apps=None) -> None:
    """Create or refresh the Editor and Writer groups with their permissions (idempotent).

    ``apps`` is a migration's app registry, or the live one when None.
    """
    if apps is None:
        from django.apps import apps as live

        apps = live
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    writer, _ = Group.objects.get_or_create(name=WRITER)
    # A permission whose model a later migration adds is missing when an earlier migration
    # runs this; that later migration runs it again (desk 0005 for the photo library).
    wanted = [
        found
        for app, code in WRITER_PERMISSIONS
        if (found := Permission.objects.filter(content_type__app_label=app, codename=code).first())
    ]
    writer.permissions.set(wanted)


def ensure_roles_in_migration(apps) -> None:
    """``ensure_roles`` from a data migration, making the permissions it needs first.

    Django creates content types and permissions after all migrations have run; the groups
    need them now.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for config in apps.get_app_configs():
        config.models_module = True
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    ensure_roles(apps)


def drop_editor_permissions_in_migration(apps, app_label: str) -> None:
    """Undo a data migration that gave the Editor group ``app_label``'s permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name=EDITOR).first()
    if editor is not None:
        editor.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))

"""The Editors and Reporters groups, with their permissions (DESIGN.md, Roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("articles", "article", ["add", "change", "delete", "view"]),
    ("articles", "section", ["add", "change", "delete", "view"]),
    ("articles", "tag", ["add", "change", "delete", "view"]),
    ("articles", "taggedarticle", ["add", "change", "delete", "view"]),
    ("articles", "dailyviews", ["view"]),
]
REPORTER_PERMISSIONS = [
    ("articles", "article", ["add", "change", "view"]),
    ("articles", "section", ["view"]),
    ("articles", "tag", ["add", "view"]),
]


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in spec:
        for action in actions:
            yield Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *_permissions(apps, EDITOR_PERMISSIONS),
        Permission.objects.get(content_type__app_label="articles", codename="publish_article"),
    )
    reporters, _ = Group.objects.get_or_create(name="Reporters")
    reporters.permissions.add(*_permissions(apps, REPORTER_PERMISSIONS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reporters"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

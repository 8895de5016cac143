"""The Editors group: everything content needs, nothing about accounts.

Editors add, change and delete every content type (and its history and
redirects) and read and delete feedback; they cannot manage users or groups,
which stays with superusers.
"""

from django.db import migrations

CONTENT_MODELS = {
    "embedded": ["page", "redirect"],
    "guidance": [
        "guide",
        "guidepart",
        "roleprofile",
        "responsibility",
        "workingrelationship",
        "competency",
    ],
    "casestudies": ["casestudy", "theme"],
}
FEEDBACK = [("embedded", "view_feedback"), ("embedded", "delete_feedback")]


def wanted():
    for app_label, models in CONTENT_MODELS.items():
        for model in models:
            for action in ["add", "change", "delete", "view"]:
                yield app_label, f"{action}_{model}"
            yield app_label, f"view_historical{model}"
    yield from FEEDBACK


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    permissions = [
        Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        for app_label, codename in wanted()
    ]
    group.permissions.set([permission for permission in permissions if permission])


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("embedded", "0001_initial"),
        ("guidance", "0001_initial"),
        ("casestudies", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

"""Editors add, change and delete the framework, its themes and the templates, and see their history."""

from django.db import migrations

MODELS = ["framework", "designtheme", "documenttemplate"]


def wanted():
    for model in MODELS:
        for action in ["add", "change", "delete", "view"]:
            yield f"{action}_{model}"
        yield f"view_historical{model}"


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("toolkit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="toolkit", codename__in=list(wanted()))
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="toolkit"))


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0001_initial"),
        ("embedded", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

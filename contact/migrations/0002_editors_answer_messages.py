"""Editors read, answer, close and delete contact messages; nobody adds them by hand."""

from django.db import migrations

CODENAMES = ["view_contactmessage", "change_contactmessage", "delete_contactmessage"]


def permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("contact")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="contact", codename__in=CODENAMES)


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group:
        group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial"), ("embedded", "0002_editors_group")]

    operations = [migrations.RunPython(grant, revoke)]

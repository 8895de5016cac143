"""The Editors group: everything content needs, nothing about accounts.

Editors may do what each registered content kind declares (by default add,
change, delete and view its items, what they own and their tags, and read
their revision history), manage the redirects slug changes leave behind, and
read and delete feedback. Managing users and groups stays with superusers.

The group is kept in step with the registry after every `migrate` (and after a
test database is flushed), so a new content kind's permissions reach editors
with no migration of their own. The code owns the group: a permission added to
it by hand in the admin is taken away again at the next `migrate`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from embedded.content import registry

EDITORS = "Editors"

# The site's own models that editors look after, beside the content kinds.
SITE_PERMISSIONS = [
    ("embedded", "add_redirect"),
    ("embedded", "change_redirect"),
    ("embedded", "delete_redirect"),
    ("embedded", "view_redirect"),
    ("embedded", "view_feedback"),
    ("embedded", "delete_feedback"),
    # Approving another editor's changes publishes them (see embedded.drafts).
    ("embedded", "approve_draft"),
]


def allow_editors(app_label, *codenames):
    """For an app whose models editors look after but which is not content (contact
    messages): called from its AppConfig.ready(), so the sync below keeps them."""
    SITE_PERMISSIONS.extend((app_label, codename) for codename in codenames)


def editor_permissions():
    """(app label, codename) of every permission the Editors group holds."""
    return {*registry.editor_permissions(), *SITE_PERMISSIONS}


def sync_editors_group(using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Makes the Editors group hold exactly `editor_permissions()` (a `post_migrate` receiver)."""
    # Permissions are made per app after its migrations; make every app's now, so the
    # group is complete whichever app's migrate signal comes first.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")  # noqa: N806 - a model class
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    wanted = editor_permissions()
    labels = {app_label for app_label, _ in wanted}
    rows = Permission.objects.using(using).filter(content_type__app_label__in=labels)
    permissions = [
        pk
        for pk, app_label, codename in rows.values_list("pk", "content_type__app_label", "codename")
        if (app_label, codename) in wanted
    ]
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    group.permissions.set(permissions)

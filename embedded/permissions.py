"""What a member of staff may see and do beyond the public site, by the admin's own permissions.

Being staff only lets an account sign in to the admin; everything else comes
from the model permissions it holds (editors get theirs from the Editors
group). Permission to view a kind of content (or to change it, which includes
viewing) shows its drafts and scheduled items on the site, in "View on site"
and in the review list. Permission to add or change any kind of content lets
an account use the Markdown editor's preview and image upload.
"""

from django.contrib.auth import get_permission_codename


def _has(user, action, model):
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.{get_permission_codename(action, meta)}")


def may_view(user, model):
    """Whether `user` may see every item of `model`, published or not."""
    if not (user.is_active and user.is_staff):
        return False
    return _has(user, "view", model) or _has(user, "change", model)


def may_write_content(user):
    """Whether `user` may write any kind of content (and so preview it and upload images)."""
    from embedded.content import registry  # the registry imports the apps' models

    if not (user.is_active and user.is_staff):
        return False
    actions = ("add", "change")
    return any(_has(user, action, model) for model in registry.models for action in actions)

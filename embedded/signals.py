"""Any saved or deleted content changes the site-wide content version."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from embedded.caching import bump_content_version

CONTENT_APPS = {"embedded", "guidance", "casestudies", "toolkit"}
NOT_CONTENT = {"feedback", "searchentry"}


def is_content(model):
    meta = model._meta
    return (
        meta.app_label in CONTENT_APPS
        and meta.model_name not in NOT_CONTENT
        and not meta.model_name.startswith("historical")
    )


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def content_changed(sender, **kwargs):
    if is_content(sender) or (kwargs.get("model") is not None and is_content(kwargs["model"])):
        # Now, and again once the change is committed: a reader who arrived in
        # between saw the old rows and may have cached them under the new version.
        bump_content_version()
        transaction.on_commit(bump_content_version)


# A changed slug keeps old links working: each content object lists the
# addresses it answers at (`public_paths`), and any that moved get a
# permanent redirect from the old address to the new one.


@receiver(pre_save)
def remember_old_paths(sender, instance, raw=False, **kwargs):
    if raw or not is_content(sender) or not hasattr(instance, "public_paths") or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._old_paths = old.public_paths() if old else []


@receiver(post_save)
def redirect_moved_paths(sender, instance, raw=False, **kwargs):
    old_paths = getattr(instance, "_old_paths", None)
    if raw or not old_paths:
        return
    from embedded.models import Redirect

    for old_path, new_path in zip(old_paths, instance.public_paths(), strict=False):
        if old_path != new_path:
            Redirect.objects.filter(new_path=old_path).update(new_path=new_path)
            Redirect.objects.filter(old_path=new_path).delete()
            Redirect.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})
    del instance._old_paths

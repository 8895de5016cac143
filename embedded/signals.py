"""Saved or deleted content moves the site-wide content version on; a moved item leaves a redirect.

What counts as content is what the registry's kinds declare (`embedded.content`):
each kind's model, the models it owns and its tags. Work done per saved row (a
new content version, reindexing for search) can wait for the end of a bulk
change such as a content load: see `bulk_change`.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from embedded.caching import bump_content_version
from embedded.content import registry
from embedded.models import ChangeNote


class _BulkChange:
    changed = False


_bulk_change = ContextVar("bulk_change", default=None)


def in_bulk_change():
    """Whether per-row work should wait: a bulk change does it once, at its end."""
    return _bulk_change.get() is not None


@contextmanager
def bulk_change():
    """Saves made inside count as one change to the content.

    The content version moves on and the search index is rebuilt once, when
    the block ends (and only if content changed), instead of once per saved
    row. If the block raises, neither happens: inside a transaction, nothing
    changed. Nested blocks join the outermost one.
    """
    if in_bulk_change():
        yield
        return
    change = _BulkChange()
    token = _bulk_change.set(change)
    try:
        yield
    finally:
        _bulk_change.reset(token)
    if change.changed:
        from embedded.search_index import rebuild

        rebuild()
        _content_changed_now()


def _content_changed_now():
    # Inside a transaction it moves on again once the change commits (see caching.py).
    bump_content_version()


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def content_changed(sender, instance=None, model=None, action="post_", **kwargs):
    if not action.startswith("post_"):
        return  # a many-to-many change is made once it is done, not also before
    touched = [sender, type(instance)] + ([model] if model is not None else [])
    # A change note is part of its item's page (and of /whats-new/ and the feeds).
    if sender is not ChangeNote and not any(registry.is_content(each) for each in touched):
        return
    if change := _bulk_change.get():
        change.changed = True
    else:
        _content_changed_now()


@receiver(post_delete)
def forget_change_notes(sender, instance, **kwargs):
    """A deleted item's notes go with it (they name it by model and key, not a foreign key)."""
    if sender in registry.models:
        from embedded.changenotes import about_item

        ChangeNote.objects.filter(about_item(instance)).delete()


# A changed slug keeps old links working: each content object lists the
# addresses it answers at (`public_paths`), and any that moved get a
# permanent redirect from the old address to the new one.


def _has_pages(model):
    return model in registry.models and hasattr(model, "public_paths")


@receiver(pre_save)
def remember_old_paths(sender, instance, raw=False, **kwargs):
    if raw or not _has_pages(sender) or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._old_paths = old.public_paths() if old else []


@receiver(post_save)
def redirect_moved_paths(sender, instance, raw=False, **kwargs):
    old_paths = getattr(instance, "_old_paths", None)
    # Only live content: a redirect to a draft or scheduled item would reveal its address.
    if raw or not old_paths or not instance.is_live:
        return
    from embedded.models import Redirect

    for old_path, new_path in zip(old_paths, instance.public_paths(), strict=False):
        if old_path != new_path:
            Redirect.objects.filter(new_path=old_path).update(new_path=new_path)
            Redirect.objects.filter(old_path=new_path).delete()
            Redirect.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})
    del instance._old_paths

"""Change notes: what changed on a page, when, and the note readers see for a major change.

Every published change to content is recorded here, by `record_change` alone
(the admin's save, any publishing flow, the content loader): a major change
with a one-line note that readers see beside the page's review dates, on
/whats-new/ and in the Atom feeds; a minor one (typos, formatting) with no
note, never listed, which still counts as a change for the sitemap.

A note is public when it is major, its `made_at` has come, and its item is
live by the item's own `published()` rules: a scheduled publication's note
appears when the item goes live, and a draft's note never does. The items are
found through the content registry, so this module names no app.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from embedded.content import registry
from embedded.models import ChangeNote, Publishable


def label_of(model):
    """How a note names an item's model: `guidance.guidepart`."""
    return model._meta.label_lower


def about(model, ids):
    """Notes on the items of `model` whose primary keys are `ids` (a list or a subquery)."""
    return Q(item_type=label_of(model), item_id__in=ids)


def about_item(obj):
    return Q(item_type=label_of(type(obj)), item_id=obj.pk)


def record_change(obj, *, major, note="", author=None, at=None):
    """Records a published change to `obj`; returns the note, or None for a draft.

    `major`: whether readers should know (then `note`, one line, is required and
    listed); a minor change is recorded without a note and never listed. `at`:
    when the change goes live; by default now, or the item's scheduled go-live
    time if that is later. A draft's change is not recorded: its note must never
    be public. Raises ValidationError for a major change without a note, or a
    note too long or with control characters.
    """
    if obj.status != Publishable.Status.PUBLISHED:
        return None
    now = timezone.now()
    if at is None:
        at = max(now, obj.published_at or now)
    change = ChangeNote(
        item_type=label_of(type(obj)),
        item_id=obj.pk,
        major=major,
        note=(note or "").strip() if major else "",
        made_at=at,
        author=author if author is not None and author.is_authenticated else None,
    )
    change.full_clean()
    change.save()
    return change


def listed():
    """Major notes whose time has come (whether their item is live is asked separately)."""
    return ChangeNote.objects.filter(major=True, made_at__lte=timezone.now())


def notes_for(item):
    """The public notes a page of `item` shows, newest first: one query.

    What a page covers is its kind's business (`Kind.notes_about`): a guide's
    page lists its live parts' changes too. The item itself is live, or the
    reader is an editor previewing it.
    """
    kind = registry.kind_of(type(item))
    if kind is None or item.pk is None:
        return ChangeNote.objects.none()
    return listed().filter(kind.notes_about(item))


def notes_for_all(items):
    """The public notes on any of `items` (say, every glossary term on /glossary/)."""
    items = list(items)
    if not items:
        return ChangeNote.objects.none()
    by_model = {}
    for item in items:
        by_model.setdefault(type(item), []).append(item.pk)
    where = Q()
    for model, ids in by_model.items():
        where |= about(model, ids)
    return listed().filter(where)


def public_notes(audience=None, kind=None):
    """Every public note across the site, newest first, optionally for one audience or kind.

    One query, whatever the number of kinds: each kind's live items are a subquery.
    Kinds that declare no audience are left out when an audience is asked for.
    """
    live = Q(pk__in=[])
    for each in registry.kinds:
        if not each.has_pages or (kind is not None and each is not kind):
            continue
        items = each.model.objects.published()
        if audience is not None:
            if not each.audience:
                continue
            items = items.filter(**{each.audience: audience})
        live |= about(each.model, items.order_by().values("pk"))
    return listed().filter(live)


def attach_items(notes):
    """Sets `note.item` on each note, with one query per kind among them; returns the
    notes whose item was found."""
    notes = list(notes)
    wanted = {}
    for note in notes:
        wanted.setdefault(note.item_type, set()).add(note.item_id)
    found = {}
    for item_type, ids in wanted.items():
        kind = registry.kind_of_label(item_type)
        if kind is None:
            continue
        for item in kind.linked().filter(pk__in=ids):
            found[item_type, item.pk] = item
    for note in notes:
        note.item = found.get((note.item_type, note.item_id))
        note.kind = registry.kind_of_label(note.item_type)
    return [note for note in notes if note.item is not None]


def last_updated(notes):
    """When the latest of these notes was made, or None."""
    return max((note.made_at for note in notes), default=None)


# Content files carry an item's major notes as `changes:`, a list of `date` and
# `note`, newest first. A file's note matches a stored one with the same note on
# the same (UK) date, which keeps its exact time and author.


def written_changes(obj):
    """The item's major notes, as its content file lists them."""
    notes = ChangeNote.objects.filter(about_item(obj), major=True)
    return sort_changes(
        [{"date": timezone.localdate(note.made_at), "note": note.note} for note in notes]
    )


def sort_changes(changes):
    return sorted(changes, key=lambda change: (-change["date"].toordinal(), change["note"]))


def load_changes(obj, changes, check):
    """Makes the item's major notes those of its file: adds the new, removes the missing.

    `check(note, index)` validates a new note before it is saved (and raises
    with the file's line). Minor changes are never in files and are kept.
    """
    stored = {
        (timezone.localdate(note.made_at), note.note): note
        for note in ChangeNote.objects.filter(about_item(obj), major=True)
    }
    wanted = set()
    for index, change in enumerate(changes):
        key = (change["date"], change["note"])
        wanted.add(key)
        if key in stored:
            continue
        midnight = datetime.datetime.combine(change["date"], datetime.time())
        note = ChangeNote(
            item_type=label_of(type(obj)),
            item_id=obj.pk,
            major=True,
            note=change["note"],
            made_at=timezone.make_aware(midnight),
        )
        check(note, index)
        note.save()
        stored[key] = note
    gone = [note.pk for key, note in stored.items() if key not in wanted]
    if gone:
        ChangeNote.objects.filter(pk__in=gone).delete()

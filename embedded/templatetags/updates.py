"""A page's updates: the public change notes shown beside its review dates."""

from django import template

from embedded.changenotes import notes_for, notes_for_all

register = template.Library()


@register.simple_tag
def page_updates(item, among=()):
    """The public change notes of the page of `item` (or of every item in a list), newest
    first, in one query. Each note's `item` is set from `item` and `among` (the items the
    page already has, such as a guide's parts), so a page can name the part that changed."""
    if isinstance(item, list | tuple):
        notes, known = list(notes_for_all(item)), list(item)
    elif hasattr(item, "_meta"):
        notes, known = list(notes_for(item)), [item, *among]
    else:
        return []
    by_key = {(obj._meta.label_lower, obj.pk): obj for obj in known}
    for note in notes:
        note.item = by_key.get((note.item_type, note.item_id))
    return notes

"""Keeps the search index (`SearchEntry` rows) in step with the content, on every save.

What is indexed comes from the content registry, so a new content type is
searchable as soon as its app registers it. An item's entry holds its title,
summary and everything else it says as plain text: its rendered body, its
other free-text fields (a role's purpose, a case study's lessons), the text of
the items it owns (a role's responsibilities and competencies) and the names
of its tags (a case study's themes). An item that belongs to another
registered item (a guide part to its guide) is shown with its parent's title,
and is searchable only while its parent is published too.

Entries exist for published items, including those scheduled for later: each
entry carries the moment it goes live, and search hides it until then, so
scheduled content appears on time without anyone saving it again. Drafts have
no entry at all.
"""

import unicodedata
from functools import cache
from html.parser import HTMLParser

from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.text import capfirst

from embedded.content import registry
from embedded.models import Publishable, SearchEntry
from embedded.signals import in_bulk_change

# Marks where a highlight starts and stops in snippets the database makes. They
# are private-use characters, removed from everything indexed, so they can only
# ever be ours; `embedded.search` turns them into <mark> after escaping the text.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"

# SQLite's full-text index of the entries (made by migration 0003 where FTS5 exists).
FTS5_TABLE = "embedded_searchentry_fts"

INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "small", "span", "strong"}
INLINE_TAGS |= {"sub", "sup"}


class _TextExtractor(HTMLParser):
    """Rendered body HTML to plain text, with a space where one block ends and the next begins.

    The "link to this section" anchors `embedded.markdown` adds to headings, and the
    words only screen readers hear (such as "(another website)"), are left out.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.in_anchor = self.in_hidden = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "a" and "heading-anchor" in classes:
            self.in_anchor = True
        elif tag == "span" and "nhsuk-u-visually-hidden" in classes and not self.in_anchor:
            self.in_hidden = True
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_anchor = False
        if tag == "span":
            self.in_hidden = False
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not (self.in_anchor or self.in_hidden):
            self.parts.append(data)


def plain_text(value):
    """Text safe to index: no control, format or private-use characters; whitespace collapsed."""
    kept = (
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char
        for char in str(value)
        if unicodedata.category(char) not in {"Cf", "Co", "Cs"}
    )
    return " ".join("".join(kept).split())


def html_to_text(html):
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return plain_text("".join(extractor.parts))


def _is_text_field(field):
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
    )


@cache
def _owning_key(model):
    """The model's required, cascading link to what owns it, or None."""
    for field in model._meta.concrete_fields:
        if field.many_to_one and not field.null and field.remote_field.on_delete is models.CASCADE:
            return field
    return None


PUBLISHABLE_FIELDS = {field.name for field in Publishable._meta.get_fields()}


class IndexedModel:
    """How one registered model turns into search entries, worked out once from its fields."""

    def __init__(self, model):
        meta = model._meta
        self.model = model
        self.kind = capfirst(meta.verbose_name)
        self.extra_fields = [
            f.name
            for f in meta.concrete_fields
            if _is_text_field(f) and f.name not in PUBLISHABLE_FIELDS
        ]
        owner = _owning_key(model)
        self.parent = owner if owner and owner.related_model in registry.models else None
        self.owned = [
            relation
            for relation in meta.related_objects
            if relation.one_to_many
            and relation.related_model not in registry.models
            and _owning_key(relation.related_model) is relation.field
        ]
        self.tags = [
            field for field in meta.many_to_many if field.related_model not in registry.models
        ]

    def queryset(self):
        related = [self.parent.name] if self.parent else []
        prefetch = [r.get_accessor_name() for r in self.owned] + [f.name for f in self.tags]
        return self.model.objects.select_related(*related).prefetch_related(*prefetch)

    def body(self, item):
        # A model may index less than its whole body (`indexes_body = False`): a glossary
        # entry is found by its term and summary, not by the other terms its definition uses.
        texts = [html_to_text(item.body_html)] if getattr(item, "indexes_body", True) else []
        texts += [getattr(item, name) for name in self.extra_fields]
        for relation in self.owned:
            fields = [
                f.name for f in relation.related_model._meta.concrete_fields if _is_text_field(f)
            ]
            for owned in getattr(item, relation.get_accessor_name()).all():
                texts += [getattr(owned, name) for name in fields]
        for field in self.tags:
            texts += [str(tag) for tag in getattr(item, field.name).all()]
        return plain_text(" ".join(text for text in texts if text))

    def entry(self, item):
        """The item's search entry (unsaved), or None if it should not be found."""
        parent = getattr(item, self.parent.name) if self.parent else None
        if not all(_is_published(obj) for obj in [item, parent] if obj is not None):
            return None
        return SearchEntry(
            key=key_for(item),
            kind=self.kind,
            title=plain_text(item.title),
            parent_title=plain_text(parent.title) if parent else "",
            summary=plain_text(item.summary),
            body=self.body(item),
            url=item.get_absolute_url(),
            published_at=max(obj.published_at for obj in [item, parent] if obj is not None),
        )


def _is_published(item):
    return item.status == Publishable.Status.PUBLISHED and item.published_at is not None


@cache
def indexed_models():
    """Every registered model that has a page of its own, in registry order."""
    return {
        model: IndexedModel(model)
        for model in registry.models
        if hasattr(model, "get_absolute_url")
    }


def key_for(item):
    return f"{item._meta.label_lower}:{item.pk}"


def index(item):
    """Adds, updates or removes the item's entry, and those of the items that belong to it."""
    indexed = indexed_models()[type(item)]
    entry = indexed.entry(item)
    if entry is None:
        SearchEntry.objects.filter(key=key_for(item)).delete()
    else:
        values = {f.attname: getattr(entry, f.attname) for f in SearchEntry._meta.concrete_fields}
        del values["id"]
        if not SearchEntry.objects.filter(key=entry.key).update(**values):
            entry.save(force_insert=True)
    for child in _children(item):
        index(child)


def _children(item):
    for indexed in indexed_models().values():
        if indexed.parent and indexed.parent.related_model is type(item):
            for child in indexed.queryset().filter(**{indexed.parent.name: item}):
                setattr(child, indexed.parent.name, item)
                yield child


def remove(item):
    SearchEntry.objects.filter(key=key_for(item)).delete()


def rebuild():
    """Remakes every entry from the content. Returns how many there are."""
    entries = []
    for indexed in indexed_models().values():
        for item in indexed.queryset().order_by("pk"):
            entry = indexed.entry(item)
            if entry is not None:
                entries.append(entry)
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        if FTS5_TABLE in connection.introspection.table_names():
            # FTS5's own rebuild repairs any drift between the two tables, too.
            rebuild_fts5 = f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('rebuild')"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(rebuild_fts5)
    return len(entries)


# The receivers. Each save of a registered item reindexes it; a save or delete
# of something an item owns (a competency) or a change to its tags reindexes
# the item. Fixture loading (raw) is left to `manage.py rebuild_search_index`;
# a bulk change (a content load) rebuilds the index once, at its end.


def _owner_of(instance):
    """The indexed item that owns this instance (a role owns its competencies), or None."""
    owning = _owning_key(type(instance))
    indexed = indexed_models().get(owning.related_model) if owning else None
    if indexed is None or type(instance) not in {r.related_model for r in indexed.owned}:
        return None
    return indexed.queryset().filter(pk=getattr(instance, owning.attname)).first()


@receiver(post_save, dispatch_uid="search_index_saved")
def item_saved(sender, instance, raw=False, **kwargs):
    if raw or in_bulk_change():
        return
    if sender in indexed_models():
        index(instance)
    elif owner := _owner_of(instance):
        index(owner)


@receiver(post_delete, dispatch_uid="search_index_deleted")
def item_deleted(sender, instance, **kwargs):
    if in_bulk_change():
        return
    if sender in indexed_models():
        remove(instance)
    elif owner := _owner_of(instance):
        index(owner)


@receiver(m2m_changed, dispatch_uid="search_index_tags_changed")
def tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or in_bulk_change():
        return
    item_model, tag_model = (model, type(instance)) if reverse else (type(instance), model)
    if item_model not in indexed_models() or tag_model in registry.models:
        return  # only tags are part of an item's entry, not its links to other items
    items = (
        indexed_models()[item_model].queryset().filter(pk__in=pk_set or ())
        if reverse
        else [instance]
    )
    for item in items:
        index(item)


@receiver(post_migrate, dispatch_uid="search_index_after_migrate")
def fill_an_empty_index(sender, app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    """A database that had content before search existed gets its index on `migrate`."""
    if app_config.label != "embedded" or using != DEFAULT_DB_ALIAS:
        return
    tables = set(connection.introspection.table_names())
    needed = [SearchEntry, *indexed_models()]
    if any(model._meta.db_table not in tables for model in needed):
        return  # migrated only part of the way
    if not SearchEntry.objects.exists() and any(m.objects.exists() for m in indexed_models()):
        rebuild()

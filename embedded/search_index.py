"""Keeps the search index (`SearchEntry` rows) in step with the content, on every save.

What is indexed is what each kind in the content registry declares in its
`search` (`embedded.content.Searchable`), and nothing else: so a new content
type is searchable as soon as its app registers it, and a field no kind names
is never found. An item's page entry holds its title, summary, headings and
body text as plain text: its rendered body, the other fields it declares (a
role's purpose, a case study's lessons), the declared fields of the rows it
owns (a role's competencies) and the names of its declared tags (a case
study's themes). A kind with `sections` also gets one entry per ## or ###
section of its body, so a result can link to the section that answers. An
item that belongs to another registered item (a guide part to its guide) is
shown with its parent's title, and is searchable only while its parent is
published too.

Entries exist for published items, including those scheduled for later: each
entry carries the moment it goes live, and search hides it until then, so
scheduled content appears on time without anyone saving it again. Drafts have
no entry at all.
"""

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils.text import capfirst

from embedded.caching import bump_content_version
from embedded.content import BODY, registry
from embedded.models import BestBet, Publishable, SearchEntry
from embedded.signals import in_bulk_change

# Marks where a highlight starts and stops in snippets the database makes. They
# are private-use characters, removed from everything indexed, so they can only
# ever be ours; `embedded.search` turns them into <mark> after escaping the text.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"

# SQLite's full-text index of the entries (made by migration 0003 where FTS5 exists).
FTS5_TABLE = "embedded_searchentry_fts"

INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "small", "span", "strong"}
INLINE_TAGS |= {"sub", "sup"}
SECTION_TAGS = {"h2", "h3"}


@dataclass
class Section:
    anchor: str = ""
    heading: list = field(default_factory=list)
    parts: list = field(default_factory=list)


class _TextExtractor(HTMLParser):
    """Rendered body HTML to plain text, a section at a time, with a space between blocks.

    Each ## or ### heading with an id starts a section (the text before the first is
    the page's introduction). The "link to this section" anchors `embedded.markdown`
    adds to headings, and the words only screen readers hear (such as "(another
    website)"), are left out.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = [Section()]
        self.in_anchor = self.in_hidden = self.in_heading = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "a" and "heading-anchor" in classes:
            self.in_anchor = True
        elif tag == "span" and "nhsuk-u-visually-hidden" in classes and not self.in_anchor:
            self.in_hidden = True
        if tag in SECTION_TAGS and attrs.get("id"):
            self.sections.append(Section(anchor=attrs["id"]))
            self.in_heading = True
        if tag not in INLINE_TAGS:
            self.sections[-1].parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_anchor = False
        if tag == "span":
            self.in_hidden = False
        if tag in SECTION_TAGS:
            self.in_heading = False
        if tag not in INLINE_TAGS:
            self.sections[-1].parts.append(" ")

    def handle_data(self, data):
        if self.in_anchor or self.in_hidden:
            return
        # A heading is its section's title (and a page's headings), not part of its text.
        if self.in_heading:
            self.sections[-1].heading.append(data)
        else:
            self.sections[-1].parts.append(data)


def plain_text(value):
    """Text safe to index: no control, format or private-use characters; whitespace collapsed."""
    kept = (
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char
        for char in str(value)
        if unicodedata.category(char) not in {"Cf", "Co", "Cs"}
    )
    return " ".join("".join(kept).split())


def sections_of(html):
    """[(anchor, heading, text)] of the rendered body: first the introduction, anchor "".

    (A heading without an id is kept as text of the section it is in.)"""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return [
        (section.anchor, plain_text("".join(section.heading)), plain_text("".join(section.parts)))
        for section in extractor.sections
    ]


def html_to_text(html):
    return " ".join(text for _, _, text in sections_of(html) if text)


@cache
def _owning_key(model):
    """The model's required, cascading link to what owns it, or None."""
    for field_ in model._meta.concrete_fields:
        if (
            field_.many_to_one
            and not field_.null
            and field_.remote_field.on_delete is models.CASCADE
        ):
            return field_
    return None


class IndexedModel:
    """How one registered kind's items turn into search entries, as its `search` declares."""

    def __init__(self, kind):
        model = kind.model
        self.model = model
        self.search = kind.search
        self.kind = capfirst(model._meta.verbose_name)
        owner = _owning_key(model)
        self.parent = owner if owner and owner.related_model in registry.models else None
        self.owned_models = {
            model._meta.get_field(name).related_model: name for name in self.search.owned
        }

    def queryset(self):
        related = [self.parent.name] if self.parent else []
        prefetch = [*self.search.owned, *self.search.tags]
        return self.model.objects.select_related(*related).prefetch_related(*prefetch)

    def texts(self, item, sections):
        """The item's text by column: headings (and short fields) and body."""
        headings, body = [], []
        for name, weight in self.search.fields.items():
            if name in {"title", "summary"}:
                continue
            if name == "body_html":
                body += [text for _, _, text in sections]
                headings += [heading for _, heading, _ in sections if heading]
                continue
            (body if weight == BODY else headings).append(str(getattr(item, name) or ""))
        for accessor, fields in self.search.owned.items():
            for owned in getattr(item, accessor).all():
                body += [str(getattr(owned, name) or "") for name in fields]
        for name in self.search.tags:
            body += [str(tag) for tag in getattr(item, name).all()]
        return plain_text(" ".join(t for t in headings if t)), plain_text(" ".join(body))

    def entries(self, item):
        """The item's search entries (unsaved), its page's first; [] if it should not be found."""
        parent = getattr(item, self.parent.name) if self.parent else None
        if not all(_is_published(obj) for obj in [item, parent] if obj is not None):
            return []
        declared = self.search.fields
        sections = sections_of(item.body_html) if "body_html" in declared else []
        headings, body = self.texts(item, sections)
        key, url = key_for(item), item.get_absolute_url()
        common = {
            "kind": self.kind,
            "page_key": key,
            "published_at": max(obj.published_at for obj in [item, parent] if obj is not None),
            "rank": self.search.rank_of(item),
        }
        page = SearchEntry(
            key=key,
            title=plain_text(item.title),
            parent_title=plain_text(parent.title) if parent else "",
            summary=plain_text(item.summary) if "summary" in declared else "",
            headings=headings,
            body=body,
            url=url,
            **common,
        )
        if not self.search.sections:
            return [page]
        return [page] + [
            SearchEntry(
                key=f"{key}#{anchor}"[:100],
                title=heading[:200],
                parent_title=page.title,
                body=text,
                url=f"{url}#{anchor}",
                anchor=anchor[:100],
                **common,
            )
            for anchor, heading, text in sections
            if anchor and heading
        ]


def _is_published(item):
    return item.status == Publishable.Status.PUBLISHED and item.published_at is not None


@cache
def indexed_models():
    """Every registered kind whose items have a page of their own, by model, in registry order."""
    return {kind.model: IndexedModel(kind) for kind in registry.kinds if kind.has_pages}


def key_for(item):
    return f"{item._meta.label_lower}:{item.pk}"


def index(item):
    """Remakes the item's entries, and those of the items that belong to it."""
    indexed = indexed_models()[type(item)]
    with transaction.atomic():
        remove(item)
        SearchEntry.objects.bulk_create(indexed.entries(item))
    for child in _children(item):
        index(child)


def _children(item):
    for indexed in indexed_models().values():
        if indexed.parent and indexed.parent.related_model is type(item):
            for child in indexed.queryset().filter(**{indexed.parent.name: item}):
                setattr(child, indexed.parent.name, item)
                yield child


def remove(item):
    SearchEntry.objects.filter(page_key=key_for(item)).delete()


def rebuild():
    """Remakes every entry from the content. Returns how many items are indexed."""
    entries = []
    for indexed in indexed_models().values():
        for item in indexed.queryset().order_by("pk"):
            entries += indexed.entries(item)
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement: the entries have no signals or relations to delete one by one.
        cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")  # noqa: S608
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        if FTS5_TABLE in connection.introspection.table_names():
            # FTS5's own rebuild repairs any drift between the two tables, too.
            rebuild_fts5 = f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('rebuild')"  # noqa: S608
            cursor.execute(rebuild_fts5)
    return sum(1 for entry in entries if not entry.anchor)


# The receivers. Each save of a registered item reindexes it; a save or delete
# of something an item owns (a competency) or a change to its tags reindexes
# the item. Fixture loading (raw) is left to `manage.py rebuild_search_index`;
# a bulk change (a content load) rebuilds the index once, at its end.


def _owner_of(instance):
    """The indexed item that owns this instance (a role owns its competencies), or None."""
    owning = _owning_key(type(instance))
    indexed = indexed_models().get(owning.related_model) if owning else None
    if indexed is None or type(instance) not in indexed.owned_models:
        return None
    return indexed.queryset().filter(pk=getattr(instance, owning.attname)).first()


def _changed(sender, instance, update):
    """Brings the index up to date after `instance` changed: `update` (index or remove) for
    an indexed item, and a fresh entry for the item that owns anything else."""
    if in_bulk_change():
        return
    if sender in indexed_models():
        update(instance)
    elif owner := _owner_of(instance):
        index(owner)


@receiver(post_save, dispatch_uid="search_index_saved")
def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(sender, instance, index)


@receiver(post_delete, dispatch_uid="search_index_deleted")
def item_deleted(sender, instance, **kwargs):
    _changed(sender, instance, remove)


@receiver(m2m_changed, dispatch_uid="search_index_tags_changed")
def tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or in_bulk_change():
        return
    item_model, tag_model = (model, type(instance)) if reverse else (type(instance), model)
    indexed = indexed_models().get(item_model)
    if indexed is None or tag_model not in {
        item_model._meta.get_field(name).related_model for name in indexed.search.tags
    }:
        return  # only declared tags are part of an item's entry, not its links to other items
    items = (
        indexed_models()[item_model].queryset().filter(pk__in=pk_set or ())
        if reverse
        else [instance]
    )
    for item in items:
        index(item)


@receiver(post_save, sender=BestBet, dispatch_uid="search_best_bet_saved")
@receiver(post_delete, sender=BestBet, dispatch_uid="search_best_bet_deleted")
def best_bet_changed(sender, raw=False, **kwargs):
    """A pinned page shows at once: search reads best bets once per content version."""
    if not raw:
        bump_content_version()


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

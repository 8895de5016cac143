"""The registry of content kinds: what each content type is, declared once, read everywhere.

Each app describes its content types as `Kind`s and registers them (in its
`AppConfig.ready()`), so site-wide code finds every type, and everything it
is made of, here and nowhere else.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.text import capfirst, slugify
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from embedded.content.fields import (
    FieldError,
    choice,
    date,
    is_required,
    moment,
    optional,
    records,
    text,
)
from embedded.content.files import Source, describe
from embedded.markdown import render
from embedded.models import Publishable

# How much a word found in a field counts for in search: a title outranks a heading
# (or a summary), which outranks the body.
TITLE, HEADING, BODY = "A", "B", "C"


@dataclass(frozen=True)
class Searchable:
    """What search reads of a kind's items; a field not named here is never searched.

    `fields`: the item's own fields and their weight (TITLE, HEADING or BODY);
    "body_html" is the rendered body, as text. `owned`: for each owned model's
    accessor (a role's "competencies"), the fields of its rows to read, as body
    text. `tags`: many-to-many fields whose names are read as body text.
    `sections`: whether each ## or ### section of the body is found on its own,
    so a result links to the section that answers the reader. `rank`: how the
    kind's items rank against others for the same words (1 for guidance; less
    for what readers seldom want first), or a function of an item giving it.
    """

    fields: dict = field(
        default_factory=lambda: {"title": TITLE, "summary": HEADING, "body_html": BODY}
    )
    owned: dict = field(default_factory=dict)
    tags: tuple = ()
    sections: bool = False
    rank: object = 1.0

    def rank_of(self, item):
        return self.rank(item) if callable(self.rank) else self.rank


class Kind:
    """One content type: what it is made of, and how it lives as files.

    Subclasses declare the model, the models an item owns (rows edited with
    it, such as a role's competencies), its tags (many-to-many fields naming
    things that are not content kinds themselves, such as a case study's
    themes) and what editors may do with all of them in the admin. Everything
    site-wide reads these declarations: cache invalidation and slug redirects
    (`embedded.signals`), the sitemap, the scheduled-publication check and the
    Editors group's permissions (`embedded.editors`). Search reads what `search`
    declares (`Searchable`) of each kind whose items have a page, and nothing else.
    Change notes (`embedded.changenotes`) ask a kind which notes an item's page
    lists (`notes_about`) and, for /whats-new/, who its items are for (`audience`).

    As files, a kind names its folder and file pattern and its own front
    matter fields (`fields`, parsers from `embedded.content.fields`). A key
    that names a model field (or is mapped to one in `keys`) is copied to it
    on load and back on export; a kind writes only the exceptions, in
    `apply()`, `after_save()` and `own_front_matter()`.
    """

    model = None
    owned = ()  # models whose rows belong to one item and are edited with it
    tags = ()  # names of many-to-many fields to things that are not kinds themselves
    permissions = ("add", "change", "delete", "view")  # editors', on every model above
    search = Searchable()  # what search reads, if items have pages of their own

    folder = ""
    pattern = "*.md"
    fields = {}  # the kind's own front matter keys and their parsers
    keys = {}  # model fields whose front matter key has another name: {field: key}
    # The lookup from an item to the audience it is for (`"guide__audience"`), a field
    # with choices; None if the kind is for everyone. /whats-new/ filters by it.
    audience = None

    base_fields = {
        "title": text,
        "slug": optional(text),
        "summary": text,
        "status": optional(choice(*Publishable.Status.values)),
        "published_at": optional(moment),
        "last_reviewed": date,
        "next_review_due": date,
        "changes": optional(records(date=date, note=text)),
    }

    # What it is made of.

    @property
    def name(self):
        return self.model._meta.verbose_name

    @property
    def slug(self):
        """How addresses name the kind: `guide-part`."""
        return slugify(self.model._meta.verbose_name)

    @property
    def plural(self):
        """What readers call the kind's items, in filters: `Guide parts`."""
        return capfirst(self.model._meta.verbose_name_plural)

    @property
    def audience_choices(self):
        """(value, label) of each audience the kind's items can be for."""
        if not self.audience:
            return []
        model, *path = self.model, *self.audience.split("__")
        for name in path[:-1]:
            model = model._meta.get_field(name).related_model
        return list(model._meta.get_field(path[-1]).choices)

    def notes_about(self, item):
        """Which change notes the item's page lists (a Q on ChangeNote): its own. A kind
        whose page shows other items too (a guide's, its parts) adds theirs."""
        from embedded.changenotes import about_item

        return about_item(item)

    def linked(self):
        """The items as links to them need them (title and address), for /whats-new/."""
        return self.exported().defer("body", "body_html", "contents")

    @property
    def tag_models(self):
        return [self.model._meta.get_field(name).related_model for name in self.tags]

    @property
    def models(self):
        """Every model whose rows readers see as part of this kind: its own, owned and tags."""
        return [self.model, *self.owned, *self.tag_models]

    @property
    def has_pages(self):
        """Whether each item has an address of its own (and so a place in the sitemap)."""
        return hasattr(self.model, "get_absolute_url")

    def editor_permissions(self):
        """(app label, codename) of each permission editors need: the declared actions on
        every model of the kind, and reading the revision history of those that keep one."""
        for model in self.models:
            meta = model._meta
            for action in self.permissions:
                yield meta.app_label, f"{action}_{meta.model_name}"
            if history := _history_model(model):
                yield meta.app_label, f"view_{history._meta.model_name}"

    # Files to objects.

    @property
    def declared(self):
        """Every front matter key a file of this kind may have, and its parser."""
        return {**self.base_fields, **self.fields}

    def paths(self, root):
        return sorted((Path(root) / self.folder).glob(self.pattern))

    def parse(self, source):
        """Checks the front matter and returns the values it sets."""
        declared = self.declared
        for key in source.meta:
            if key not in declared:
                raise source.error(
                    f"unknown field {key!r} (a {self.name} has: {', '.join(declared)})", key
                )
        for key, parse in declared.items():
            if is_required(parse) and source.meta.get(key) in (None, ""):
                raise source.error(f"the {key!r} field is missing")
        values = {}
        for key, value in source.meta.items():
            if value is None:
                continue
            try:
                values[key] = declared[key](value)
            except FieldError as error:
                raise source.error(f"{key!r} {error}", key, *error.at) from None
        values["slug"] = values.get("slug", source.stem)
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", values["slug"]):
            raise source.error(
                f"the slug {values['slug']!r} should be lower-case words joined by hyphens",
                "slug" if "slug" in source.meta else None,
            )
        values.setdefault("status", Publishable.Status.PUBLISHED)
        if "changes" in values:
            from embedded.changenotes import sort_changes

            values["changes"] = sort_changes(values["changes"])
        values["body"] = source.body
        return values

    def identity(self, values, source):
        """The values that pick out the object a file describes (a duplicate is an error)."""
        return (values["slug"],)

    def lookup(self, values, source):
        return {"slug": values["slug"]}

    def existing(self, values, source):
        return self.model.objects.filter(**self.lookup(values, source)).first()

    def unchanged(self, obj, values, source):
        """Whether the stored object already says everything the file says, rendered as now.

        (A newer renderer, say with a new table markup, makes every body "changed",
        so loading again brings stored pages up to date.)
        """
        stored = self.parse(Source(source.relpath, self.front_matter(obj), obj.body, {}))
        stored.setdefault("changes", [])  # a file's `changes: []` says there are none
        same = all(stored.get(key) == value for key, value in values.items())
        rendered = render(obj.body)
        return same and (rendered.html, rendered.contents) == (obj.body_html, obj.contents)

    def save(self, values, source, obj=None):
        obj = obj or self.model(**self.lookup(values, source))
        self.apply(obj, values, source)
        self.validate(obj, source)
        obj.save()
        if "changes" in values:
            from embedded.changenotes import load_changes

            def check(note, index):
                self.validate(note, source, ("changes", index), {"made_at": "date"})

            load_changes(obj, values["changes"], check)
        return obj

    def model_field(self, key):
        """The model field a front matter key is copied to, or None (the kind's own business)."""
        name = {key: field for field, key in self.keys.items()}.get(key, key)
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if field.concrete and not field.is_relation else None

    def apply(self, obj, values, source):
        """Sets the object's fields from the file's values before it is saved.

        Copies every value whose key names a model field. A kind with other
        values (a list kept as lines of text, say) overrides this, calling it first.
        """
        for key, value in values.items():
            if field := self.model_field(key):
                setattr(obj, field.attname, value)

    def after_save(self, obj, values, source):
        """Sets relations and owned rows, once every file's object has been saved."""

    def validate(self, obj, source, at=(), keys=None):
        """Checks the object as its model's rules say (lengths, choices, uniqueness) before it
        is saved, so a bad value is named with its file and line instead of failing in the
        database (or, on SQLite, being stored). `at` and `keys` place a child's fields in the
        file: `at=("competencies", 2)` for the third competency."""
        keys = {**self.keys, **(keys or {})}
        try:
            obj.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            if field == NON_FIELD_ERRORS:
                raise source.error(" ".join(messages), *at) from None
            key = keys.get(field, field)
            place = (*at, *(key if isinstance(key, tuple) else (key,)))
            raise source.error(f"{describe(place)}: {' '.join(messages)}", *place) from None

    # Objects to files: the reverse of the above.

    def relpath(self, obj):
        return f"{self.folder}/{obj.slug}.md"

    def front_matter(self, obj):
        """Every declared key, in order: from `own_front_matter()`, else from its model field.

        An empty value is left out.
        """
        own = self.own_front_matter(obj)
        meta = {}
        for key in self.declared:
            if key in own:
                value = own[key]
            elif key == "changes":
                from embedded.changenotes import written_changes

                value = written_changes(obj) or None
            elif field := self.model_field(key):
                value = _as_written(getattr(obj, field.attname))
            else:
                continue
            if value is not None:
                meta[key] = value
        return meta

    def own_front_matter(self, obj):
        """Values for the keys that are not a model field's, or are written differently."""
        return {}

    def exported(self):
        return self.model.objects.all()


def _as_written(value):
    """A moment as a person writes it: local time, and just the date at midnight."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return local.date() if local.time() == datetime.time() else local
    return value


def _history_model(model):
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


class Registry:
    """Every content kind, registered by its app in `AppConfig.ready()`."""

    def __init__(self):
        self.kinds = []
        self._content_models = None

    def register(self, kind):
        self.kinds.append(kind)
        self._content_models = None
        return kind

    @property
    def models(self):
        """Each kind's own model, in registry order."""
        return [kind.model for kind in self.kinds]

    @property
    def content_models(self):
        """Every model whose rows readers see: each kind's model, what it owns, its tags."""
        if self._content_models is None:
            self._content_models = frozenset(m for kind in self.kinds for m in kind.models)
        return self._content_models

    def kind_of(self, model):
        """The kind whose own model this is, or None."""
        return next((kind for kind in self.kinds if kind.model is model), None)

    def kind_of_label(self, label):
        """The kind whose model's label (`guidance.guidepart`) this is, or None."""
        return next((kind for kind in self.kinds if kind.model._meta.label_lower == label), None)

    @property
    def audiences(self):
        """(value, label) of every audience a kind declares, each once, in registry order."""
        seen = {}
        for kind in self.kinds:
            for value, label in kind.audience_choices:
                seen.setdefault(value, label)
        return list(seen.items())

    def is_content(self, model):
        return model in self.content_models

    def editor_permissions(self):
        for kind in self.kinds:
            yield from kind.editor_permissions()


registry = Registry()

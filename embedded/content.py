"""Content as files: the registry of content kinds, and reading and writing `content/`.

Each app describes its content types as `Kind`s and registers them here (in
its AppConfig.ready), so the loader, the exporter, search and the sitemap all
find every type through this one registry. A file is YAML front matter
between two `---` lines, then a Markdown body; `content/README.md` documents
the fields of each kind.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from embedded.markdown import render
from embedded.models import Publishable


class ContentError(Exception):
    """A problem with one content file, naming the file, its line and the problem."""

    def __init__(self, path, line, problem):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}, line {line}: {problem}" if line else f"{path}: {problem}")


class FieldError(ValueError):
    """A front matter value of the wrong type or out of range.

    `at` is where inside the value the problem is, when it is a list or has
    fields of its own: `(2, "items")` is the third entry's `items`.
    """

    def __init__(self, problem, at=()):
        super().__init__(problem)
        self.at = tuple(at)


# Field parsers: each takes the YAML value and returns the Python value, or
# raises FieldError with a message an editor can act on.


def text(value):
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("should be plain text")
    value = str(value).strip()
    if not value:
        raise FieldError("is empty")
    return value


def integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"should be a whole number, not {value!r}")
    return value


def date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(f"should be a date written YYYY-MM-DD, not {value!r}") from None


def moment(value):
    """A date (midnight, UK time) or a full ISO date and time."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            raise FieldError(f"should be a date written YYYY-MM-DD, not {value!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def choice(*options):
    def parse(value):
        if value not in options:
            raise FieldError(f"should be one of {', '.join(options)}, not {value!r}")
        return value

    return parse


def optional(parse):
    """Marks a kind's own field as one a file may leave out."""

    def parse_optional(value):
        return parse(value)

    parse_optional.required = False
    return parse_optional


def text_list(value):
    if not isinstance(value, list):
        raise FieldError("should be a list (lines starting with '- '), not a single value")
    parsed = []
    for index, item in enumerate(value):
        try:
            parsed.append(text(item))
        except FieldError as error:
            raise FieldError(f"item {index + 1} {error}", at=(index,)) from None
    return parsed


def text_set(value):
    """A list whose order carries no meaning (tags, links): kept sorted."""
    return sorted(set(text_list(value)))


def records(**schema):
    """A list of mappings, each with the given keys (a trailing '?' marks optional ones)."""
    required = {key for key in schema if not key.endswith("?")}
    parsers = {key.rstrip("?"): parse for key, parse in schema.items()}

    def parse(value):
        if not isinstance(value, list):
            raise FieldError("should be a list of entries")
        parsed = []
        for index, item in enumerate(value):
            number = index + 1
            if not isinstance(item, dict):
                raise FieldError(
                    f"entry {number} should have fields {', '.join(parsers)}", at=(index,)
                )
            unknown = set(item) - set(parsers)
            missing = required - set(item)
            if unknown or missing:
                problem = [f"unknown field {name!r}" for name in sorted(unknown)]
                problem += [f"missing {name!r}" for name in sorted(missing)]
                at = (index, min(unknown)) if unknown else (index,)
                raise FieldError(f"entry {number}: {'; '.join(problem)}", at=at)
            entry = {}
            for key in item:
                try:
                    entry[key] = parsers[key](item[key])
                except FieldError as error:
                    at = (index, key, *error.at)
                    raise FieldError(f"entry {number}: {key!r} {error}", at=at) from None
            parsed.append(entry)
        return parsed

    return parse


@dataclass
class Source:
    """One content file, read and split into front matter and body."""

    relpath: str
    meta: dict
    body: str
    lines: dict
    body_line: int = 1

    def line_of(self, *at):
        """The line of a front matter key, or of a place inside its value: `line_of("competencies",
        2, "name")` is the third competency's name. The nearest enclosing line if not found."""
        if at[:1] == ("body",):
            return self.body_line
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return 1

    def error(self, problem, *at):
        """A ContentError on the line of `at` (see `line_of`), or on the first line."""
        at = tuple(part for part in at if part is not None)
        return ContentError(self.relpath, self.line_of(*at) if at else 1, problem)

    @property
    def stem(self):
        """The file name without its number prefix: `03-choosing-a-model.md` gives the slug."""
        return re.sub(r"^\d+-", "", Path(self.relpath).stem)

    @property
    def folder(self):
        return Path(self.relpath).parent.name


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?(.*)\Z", re.DOTALL | re.MULTILINE)


def read_source(path, root):
    relpath = str(Path(path).relative_to(root))
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(relpath, None, "is not UTF-8 text") from None
    match = FRONT_MATTER.match(raw)
    if not match:
        raise ContentError(relpath, 1, "should start with front matter between two '---' lines")
    front, body = match.groups()
    try:
        meta = yaml.safe_load(front)
        node = yaml.compose(front)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        problem = f"the front matter is not valid YAML: {error.problem}"
        raise ContentError(relpath, line, problem) from None
    if not isinstance(meta, dict):
        raise ContentError(relpath, 2, "the front matter should be a list of 'field: value' lines")
    before_body = raw[: match.start(2)] + body[: len(body) - len(body.lstrip())]
    return Source(
        relpath=relpath,
        meta=meta,
        body=body.strip() + "\n",
        lines=dict(_key_lines(node)),
        body_line=before_body.count("\n") + 1,
    )


def describe(at):
    """A place in the front matter as an editor reads it: `'competencies' entry 3 'name'`."""
    return " ".join(f"entry {part + 1}" if isinstance(part, int) else repr(part) for part in at)


def _key_lines(node, at=()):
    """(place, line) for every key and list entry in the front matter (line 1 is the `---`)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*at, key.value)
            yield here, key.start_mark.line + 2
            yield from _key_lines(value, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*at, index)
            yield here, item.start_mark.line + 2
            yield from _key_lines(item, here)


class Kind:
    """One content type: what it is made of, and how it lives as files.

    Subclasses declare the model, the models an item owns (rows edited with
    it, such as a role's competencies), its tags (many-to-many fields naming
    things that are not content kinds themselves, such as a case study's
    themes) and what editors may do with all of them in the admin. Everything
    site-wide reads these declarations: cache invalidation and slug redirects
    (`embedded.signals`), the sitemap, the scheduled-publication check and the
    Editors group's permissions (`embedded.editors`).

    For files, subclasses name the folder and file pattern, their own front
    matter fields, and how to find the object a file describes.
    """

    model = None
    owned = ()
    tags = ()
    permissions = ("add", "change", "delete", "view")

    folder = ""
    pattern = "*.md"
    fields = {}
    keys = {}  # a model field whose front matter key has another name: {field: key}

    base_fields = {
        "title": text,
        "slug": text,
        "summary": text,
        "status": choice(*Publishable.Status.values),
        "published_at": moment,
        "last_reviewed": date,
        "next_review_due": date,
    }
    required = {"title", "summary", "last_reviewed", "next_review_due"}

    @property
    def name(self):
        return self.model._meta.verbose_name

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

    def paths(self, root):
        return sorted((Path(root) / self.folder).glob(self.pattern))

    def parse(self, source):
        """Checks the front matter and returns the values it sets."""
        allowed = {**self.base_fields, **self.fields}
        for key in source.meta:
            if key not in allowed:
                raise source.error(
                    f"unknown field {key!r} (a {self.name} has: {', '.join(allowed)})", key
                )
        for key in sorted(self.required | set(self.fields_required())):
            if source.meta.get(key) in (None, ""):
                raise source.error(f"the {key!r} field is missing")
        values = {}
        for key, value in source.meta.items():
            if value is None:
                continue
            try:
                values[key] = allowed[key](value)
            except FieldError as error:
                raise source.error(f"{key!r} {error}", key, *error.at) from None
        values["slug"] = values.get("slug", source.stem)
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", values["slug"]):
            raise source.error(
                f"the slug {values['slug']!r} should be lower-case words joined by hyphens",
                "slug" if "slug" in source.meta else None,
            )
        values.setdefault("status", Publishable.Status.PUBLISHED)
        values["body"] = source.body
        return values

    def fields_required(self):
        return [key for key, parse in self.fields.items() if getattr(parse, "required", True)]

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
        same = all(stored.get(key) == value for key, value in values.items())
        rendered = render(obj.body)
        return same and (rendered.html, rendered.contents) == (obj.body_html, obj.contents)

    def save(self, values, source, obj=None):
        obj = obj or self.model(**self.lookup(values, source))
        for key, value in values.items():
            if key in self.base_fields or key == "body":
                setattr(obj, key, value)
        self.apply(obj, values, source)
        self.validate(obj, source)
        obj.save()
        return obj

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

    def apply(self, obj, values, source):
        """Sets the kind's own fields on the object before it is saved."""

    def after_save(self, obj, values, source):
        """Sets relations, once every file's object has been saved."""

    # Export: the reverse of the above.

    def relpath(self, obj):
        return f"{self.folder}/{obj.slug}.md"

    def front_matter(self, obj):
        meta = {"title": obj.title, "slug": obj.slug, "summary": obj.summary}
        meta["status"] = obj.status
        if obj.published_at:
            local = timezone.localtime(obj.published_at)
            meta["published_at"] = local.date() if local.time() == datetime.time() else local
        meta["last_reviewed"] = obj.last_reviewed
        meta["next_review_due"] = obj.next_review_due
        meta.update(self.own_front_matter(obj))
        return meta

    def own_front_matter(self, obj):
        return {}

    def exported(self):
        return self.model.objects.all()


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

    def is_content(self, model):
        return model in self.content_models

    def editor_permissions(self):
        for kind in self.kinds:
            yield from kind.editor_permissions()


registry = Registry()


def load(root):
    """Reads every registered kind's files under `root` into the database, all or nothing.

    Files that match what the database already holds are left alone, so a
    second load changes nothing. Returns how many objects of each kind were
    created or updated. Any problem raises a
    ContentError naming the file and, where it can, the line; the database is
    then left exactly as it was.
    """
    root = Path(root)
    parsed = []
    for kind in registry.kinds:
        seen = {}
        for path in kind.paths(root):
            source = read_source(path, root)
            values = kind.parse(source)
            identity = kind.identity(values, source)
            if identity in seen:
                raise source.error(
                    f"the slug {values['slug']!r} is already used by {seen[identity]}",
                    "slug" if "slug" in source.meta else None,
                )
            seen[identity] = source.relpath
            parsed.append((kind, source, values))
    counts = {kind.name: 0 for kind in registry.kinds}
    from embedded.signals import bulk_change  # the signals read this module's registry

    with transaction.atomic(), bulk_change():
        saved = []
        for kind, source, values in parsed:
            obj = kind.existing(values, source)
            if obj is None or not kind.unchanged(obj, values, source):
                saved.append((kind, kind.save(values, source, obj), source, values))
        for kind, obj, source, values in saved:
            kind.after_save(obj, values, source)
            counts[kind.name] += 1
    return counts


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as people write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(meta, body):
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=float("inf"))
    return f"---\n{front}---\n{body.strip()}\n"


class NothingToExport(Exception):
    """Deleting files was asked for, but the database holds no content to export."""


@dataclass
class Exported:
    written: list
    stale: list  # files of a registered kind that match no object (a slug changed, one deleted)
    deleted: bool


def export(root, delete=False):
    """Writes every registered object back to files under `root`.

    Files of a registered kind that no longer match an object are kept unless
    `delete` is true, when they are removed so the folder mirrors the database;
    never when the database holds no content at all (a fresh or wrong database
    would otherwise empty the folder): that raises NothingToExport, before any
    file is touched.
    """
    root = Path(root)
    if delete and not any(kind.exported().exists() for kind in registry.kinds):
        raise NothingToExport(
            "The database holds no content, so no file was written or deleted. "
            "Is this the right database? (`manage.py load_content` fills it from the files.)"
        )
    written, stale = [], []
    for kind in registry.kinds:
        unmatched = set(kind.paths(root))
        for obj in kind.exported():
            path = root / kind.relpath(obj)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump(kind.front_matter(obj), obj.body), encoding="utf-8")
            unmatched.discard(path)
            written.append(path)
        stale += sorted(unmatched)
    if delete:
        for path in stale:
            path.unlink()
    return Exported(written=written, stale=stale, deleted=delete)

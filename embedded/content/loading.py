"""Loading `content/` into the database, and exporting the database back to it."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from embedded import signals
from embedded.content.files import dump, read_source
from embedded.content.kinds import registry


def load(root):
    """Reads every registered kind's files under `root` into the database, all or nothing.

    Files that match what the database already holds are left alone, so a
    second load changes nothing. Returns how many objects of each kind were
    created or updated. Any problem raises a ContentError naming the file and,
    where it can, the line; the database is then left exactly as it was. The
    whole load is one change to the content: the content version moves on and
    the search index is rebuilt once, at the end.
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
    with transaction.atomic(), signals.bulk_change():
        saved = []
        for kind, source, values in parsed:
            obj = kind.existing(values, source)
            if obj is None or not kind.unchanged(obj, values, source):
                saved.append((kind, kind.save(values, source, obj), source, values))
        for kind, obj, source, values in saved:
            kind.after_save(obj, values, source)
            counts[kind.name] += 1
    return counts


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

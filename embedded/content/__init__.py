"""Content: the registry of content kinds, and `content/` as files.

- `kinds`: `Kind` (what a content type is made of and how it maps to files)
  and `registry`, which every app registers its kinds with;
- `fields`: the front matter field parsers kinds declare (`text`, `choice`...);
- `files`: reading one file into front matter and body, and writing one;
- `loading`: `load` (files into the database) and `export` (back to files).

The names below are the API apps use: `from embedded.content import Kind, registry, text`.
`content/README.md` documents the fields of each kind.
"""

from embedded.content.fields import (
    FieldError,
    choice,
    date,
    integer,
    moment,
    optional,
    records,
    text,
    text_list,
    text_set,
)
from embedded.content.files import ContentError, Source, dump, read_source
from embedded.content.kinds import BODY, HEADING, TITLE, Kind, Registry, Searchable, registry
from embedded.content.loading import Exported, NothingToExport, export, load

__all__ = [
    "BODY",
    "HEADING",
    "TITLE",
    "Searchable",
    "ContentError",
    "Exported",
    "FieldError",
    "Kind",
    "NothingToExport",
    "Registry",
    "Source",
    "choice",
    "date",
    "dump",
    "export",
    "integer",
    "load",
    "moment",
    "optional",
    "read_source",
    "records",
    "registry",
    "text",
    "text_list",
    "text_set",
]

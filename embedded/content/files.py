"""Content files: reading one into front matter and body, and writing one back.

A file is YAML front matter between two `---` lines, then a Markdown body.
Every problem is a ContentError naming the file and, where it can, the line.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


class ContentError(Exception):
    """A problem with one content file, naming the file, its line and the problem."""

    def __init__(self, path, line, problem):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}, line {line}: {problem}" if line else f"{path}: {problem}")


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


def describe(at):
    """A place in the front matter as an editor reads it: `'competencies' entry 3 'name'`."""
    return " ".join(f"entry {part + 1}" if isinstance(part, int) else repr(part) for part in at)


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


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as people write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(meta, body):
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=float("inf"))
    return f"---\n{front}---\n{body.strip()}\n"

"""Searching the site: what a reader typed, turned into a ranked page of results.

`search(query, kind=None)` answers the same way on every database. The reader's
words are parsed once, here, into alternatives of required words and phrases
and words to leave out (`honorary contract`, `"researcher in residence"`,
`evaluation or audit`, `funding -charity`), then written out for the
database's own full-text search: PostgreSQL's English text search ranked with
ts_rank_cd, or SQLite's FTS5 ranked with bm25, each weighting the title over
the summary over the body; or, on a SQLite built without FTS5, plain
case-insensitive matching. Nothing the reader types reaches the database as
anything but a bound parameter or a quoted FTS5 string.

When no item has every word of a question of several words, search looks for
items with any of them, and says so.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify

from embedded.models import SearchEntry
from embedded.search_index import HIGHLIGHT_START, HIGHLIGHT_STOP, indexed_models

MAX_QUERY_LENGTH = 200

# PostgreSQL's English stop words (tsearch_data/english.stop). They carry no meaning
# for search, so they are dropped here and both databases see the same query.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """.split()  # noqa: SIM905 - a list of 127 quoted words would hide them
)

WORD = re.compile(r"[^\W_]+")


def clean_query(text):
    """The query as we will use and show it, and whether it had to be shortened.

    Control, format and private-use characters go; compatibility forms are
    folded (NFKC, so full-width letters are letters); whitespace is collapsed.
    """
    text = str(text or "")[: MAX_QUERY_LENGTH * 10]
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char
        for char in text
        if unicodedata.category(char) not in {"Cf", "Co", "Cs"}
    )
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


# Parsing: the reader's words, the way web search engines read them.


@dataclass(frozen=True)
class Words:
    """One word, or a phrase of words that must appear together in this order."""

    words: tuple

    @property
    def text(self):
        return " ".join(self.words)

    def websearch(self):
        return self.text if len(self.words) == 1 else f'"{self.text}"'

    def fts5(self):
        return '"' + self.text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Alternative:
    """Items that have every one of `required` and none of `excluded`."""

    required: tuple
    excluded: tuple = ()


@dataclass(frozen=True)
class Query:
    """Items that match any one of the alternatives."""

    alternatives: tuple = ()

    def __bool__(self):
        return bool(self.alternatives)

    @property
    def required(self):
        return [words for alternative in self.alternatives for words in alternative.required]

    def any_word(self):
        """The looser query for a question no item fully answers: any of its words will do."""
        if len(self.alternatives) != 1 or len(self.alternatives[0].required) < 2:
            return Query()
        only = self.alternatives[0]
        return Query(tuple(Alternative((words,), only.excluded) for words in only.required))

    def highlights(self):
        """Every word and phrase sought, any of which a snippet should show."""
        return Query(tuple(Alternative((words,)) for words in dict.fromkeys(self.required)))

    def websearch(self):
        """For PostgreSQL's websearch_to_tsquery, which reads exactly this syntax."""
        return " or ".join(
            " ".join(
                [w.websearch() for w in a.required] + [f"-{w.websearch()}" for w in a.excluded]
            )
            for a in self.alternatives
        )

    def fts5(self):
        """An FTS5 query in which every word is a quoted string."""
        alternatives = []
        for alternative in self.alternatives:
            expression = " AND ".join(words.fts5() for words in alternative.required)
            if alternative.excluded:
                excluded = " OR ".join(words.fts5() for words in alternative.excluded)
                expression = f"({expression}) NOT ({excluded})"
            alternatives.append(f"({expression})")
        return " OR ".join(alternatives)


def _chunks(text):
    """(is_excluded, is_quoted, text) for each word, "quoted phrase" or -exclusion."""
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        excluded = False
        while position < len(text) and text[position] == "-":
            excluded, position = True, position + 1
        if position < len(text) and text[position] == '"':
            end = text.find('"', position + 1)
            end = len(text) if end == -1 else end  # an unclosed quote runs to the end
            yield excluded, True, text[position + 1 : end]
            position = end + 1
        else:
            end = position
            while end < len(text) and not text[end].isspace() and text[end] != '"':
                end += 1
            yield excluded, False, text[position:end]
            position = end


def _meaningful(words):
    """The words with the stop words at either end trimmed off, or None if none are left."""
    words = list(words)
    while words and words[0].lower() in STOP_WORDS:
        words.pop(0)
    while words and words[-1].lower() in STOP_WORDS:
        words.pop()
    return Words(tuple(words)) if words else None


def parse(text):
    """The query a cleaned text asks for: words and "phrases" (all required), `or`, -word."""
    groups, current = [], ([], [])
    for excluded, quoted, chunk in _chunks(text):
        if not quoted and not excluded and chunk.lower() == "or":
            groups.append(current)
            current = ([], [])
            continue
        words = _meaningful(WORD.findall(chunk))
        if words:
            current[1 if excluded else 0].append(words)
    groups.append(current)
    return Query(
        tuple(
            Alternative(tuple(dict.fromkeys(required)), tuple(dict.fromkeys(excluded)))
            for required, excluded in groups
            if required
        )
    )


# The databases. Each answers two questions: how many results of each kind, and
# one page of them, best first, each with a snippet of its body marked up with
# HIGHLIGHT_START and HIGHLIGHT_STOP.

PAGE_COLUMNS = ["title", "kind", "url", "summary", "parent_title", "snippet"]


class PostgreSQLSearch:
    HEADLINE = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, "
        "MaxFragments=1, MaxWords=30, MinWords=12"
    )
    COUNTS = """
        SELECT e.kind, COUNT(*)
        FROM embedded_searchentry e, websearch_to_tsquery('english', %s) AS q
        WHERE e.search_vector @@ q AND e.published_at <= %s
        GROUP BY e.kind
    """
    # ts_rank_cd's weights are for labels D, C (body), B (summary) and A (title); its 1
    # divides by 1 + log(length), so a long part does not win by length alone. The
    # snippet shows where most of the words sought are, wherever the match was.
    PAGE = """
        SELECT page.title, page.kind, page.url, page.summary, page.parent_title,
               ts_headline('english', page.body, websearch_to_tsquery('english', %s), %s)
        FROM (
            SELECT e.id, e.title, e.kind, e.url, e.summary, e.parent_title, e.body,
                   ts_rank_cd('{{0.1, 0.1, 0.4, 1.0}}', e.search_vector, q, 1) AS rank
            FROM embedded_searchentry e, websearch_to_tsquery('english', %s) AS q
            WHERE e.search_vector @@ q AND e.published_at <= %s {kind_filter}
            ORDER BY rank DESC, e.title, e.id
            LIMIT %s OFFSET %s
        ) AS page
        ORDER BY page.rank DESC, page.title, page.id
    """

    def counts(self, query, now):
        with connection.cursor() as cursor:
            cursor.execute(self.COUNTS, [query.websearch(), now])
            return dict(cursor.fetchall())

    def page(self, query, now, kind, offset, limit):
        params = [query.highlights().websearch(), self.HEADLINE, query.websearch(), now]
        params += [kind] if kind else []
        sql = self.PAGE.format(kind_filter="AND e.kind = %s" if kind else "")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return cursor.fetchall()


class SQLiteSearch:
    # bm25 weights for the title, summary and body columns.
    COUNTS = """
        SELECT e.kind, COUNT(*)
        FROM embedded_searchentry_fts
        JOIN embedded_searchentry e ON e.id = embedded_searchentry_fts.rowid
        WHERE embedded_searchentry_fts MATCH %s AND e.published_at <= %s
        GROUP BY e.kind
    """
    PAGE = """
        SELECT e.title, e.kind, e.url, e.summary, e.parent_title,
               snippet(embedded_searchentry_fts, 2, %s, %s, '…', 30)
        FROM embedded_searchentry_fts
        JOIN embedded_searchentry e ON e.id = embedded_searchentry_fts.rowid
        WHERE embedded_searchentry_fts MATCH %s AND e.published_at <= %s {kind_filter}
        ORDER BY bm25(embedded_searchentry_fts, 10.0, 4.0, 1.0), e.title, e.id
        LIMIT %s OFFSET %s
    """

    def counts(self, query, now):
        with connection.cursor() as cursor:
            cursor.execute(self.COUNTS, [query.fts5(), _as_stored(now)])
            return dict(cursor.fetchall())

    def page(self, query, now, kind, offset, limit):
        params = [HIGHLIGHT_START, HIGHLIGHT_STOP, query.fts5(), _as_stored(now)]
        sql = self.PAGE.format(kind_filter="AND e.kind = %s" if kind else "")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *([kind] if kind else []), limit, offset])
            return cursor.fetchall()


def _as_stored(moment):
    return connection.ops.adapt_datetimefield_value(moment)


class PlainSearch:
    """For a SQLite without FTS5: the words and phrases as typed, in any case; no stemming."""

    WEIGHTS = {"title": 4, "summary": 2, "body": 1}

    def _matching(self, query, now):
        def has(words):
            return (
                Q(title__icontains=words.text)
                | Q(summary__icontains=words.text)
                | Q(body__icontains=words.text)
            )

        condition = Q(pk__in=[])
        for alternative in query.alternatives:
            matches = Q()
            for words in alternative.required:
                matches &= has(words)
            for words in alternative.excluded:
                matches &= ~has(words)
            condition |= matches
        return SearchEntry.objects.filter(condition, published_at__lte=now)

    def counts(self, query, now):
        rows = self._matching(query, now).values("kind").annotate(n=Count("id")).order_by()
        return {row["kind"]: row["n"] for row in rows}

    def page(self, query, now, kind, offset, limit):
        score = Value(0)
        for words in query.required:
            for column, weight in self.WEIGHTS.items():
                matched = When(**{f"{column}__icontains": words.text}, then=Value(weight))
                score += Case(matched, default=Value(0), output_field=IntegerField())
        entries = self._matching(query, now).filter(**({"kind": kind} if kind else {}))
        entries = entries.annotate(score=score).order_by("-score", "title", "pk")
        rows = entries.values_list(*PAGE_COLUMNS[:-1], "body")[offset : offset + limit]
        return [(*row[:-1], self.snippet(row[-1], query)) for row in rows]

    def snippet(self, body, query):
        pattern = "|".join(re.escape(words.text) for words in query.required)
        first = re.search(pattern, body, re.IGNORECASE)
        if first is None:
            return ""
        start = max(body.rfind(" ", 0, max(first.start() - 80, 0)) + 1, 0)
        end = body.find(" ", first.end() + 120)
        excerpt = body[start : len(body) if end == -1 else end]
        marked = re.sub(pattern, rf"{HIGHLIGHT_START}\g<0>{HIGHLIGHT_STOP}", excerpt, flags=re.I)
        return ("…" if start else "") + marked + ("…" if end != -1 else "")


@cache
def sqlite_has_fts5():
    import sqlite3

    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    return True


def database():
    if connection.vendor == "postgresql":
        return PostgreSQLSearch()
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        return SQLiteSearch()
    return PlainSearch()


def highlighted(snippet):
    """The snippet as safe HTML: escaped, with only our highlights as <mark>; "" if none."""
    if not snippet or HIGHLIGHT_START not in snippet:
        return ""
    if snippet.count(HIGHLIGHT_START) != snippet.count(HIGHLIGHT_STOP):
        return ""
    escaped = html.escape(snippet, quote=False)
    return mark_safe(  # noqa: S308 - escaped above; the only markup is our <mark>
        escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    )


# The answer.


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    plural: str


def kinds():
    """Every kind of item search finds, in the order the registry lists them."""
    return [
        Kind(
            slug=slugify(model._meta.verbose_name),
            label=indexed.kind,
            plural=capfirst(model._meta.verbose_name_plural),
        )
        for model, indexed in indexed_models().items()
    ]


@dataclass(frozen=True)
class Result:
    title: str
    kind: str
    url: str
    summary: str
    parent_title: str
    snippet: str


@dataclass(frozen=True)
class KindFilter:
    """A link that narrows the results to one kind, with how many there are."""

    kind: Kind
    count: int
    selected: bool


@dataclass
class SearchResults:
    """A sequence of `Result`s, best first, that fetches only the slice asked for.

    Its length and the counts per kind cost one query, made at once; each
    slice (a page) costs one more.
    """

    text: str
    truncated: bool = False
    kind: Kind | None = None
    query: Query = field(default_factory=Query)
    any_word: bool = False
    counts: dict = field(default_factory=dict)
    now: object = None

    @property
    def searchable(self):
        return bool(self.query)

    @property
    def total(self):
        return sum(self.counts.values())

    def __len__(self):
        return self.counts.get(self.kind.label, 0) if self.kind else self.total

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Search results can only be sliced, one page at a time.")
        start, stop, _ = index.indices(len(self))
        if stop <= start:
            return []
        kind = self.kind.label if self.kind else None
        rows = database().page(self.query, self.now, kind, start, stop - start)
        return [
            Result(
                **dict(zip(PAGE_COLUMNS[:-1], row[:-1], strict=True)), snippet=highlighted(row[-1])
            )
            for row in rows
        ]

    @property
    def query_string(self):
        """The search, as a link's query string, for every kind."""
        return urlencode({"q": self.text})

    @property
    def kind_filters(self):
        """Each kind that has results, with its count, for filtering by kind."""
        return [
            KindFilter(kind=kind, count=self.counts[kind.label], selected=kind == self.kind)
            for kind in kinds()
            if self.counts.get(kind.label)
        ]


def search(query, kind=None):
    """Published items matching what the reader typed, best first.

    `query` is whatever the reader typed (it is cleaned and, past
    MAX_QUERY_LENGTH characters, cut short); `kind` a kind's slug (e.g.
    "case-study"): an unknown one means every kind.
    """
    text, truncated = clean_query(query)
    selected = next((k for k in kinds() if k.slug == kind), None)
    results = SearchResults(text=text, truncated=truncated, kind=selected, now=timezone.now())
    results.query = parse(text)
    if results.query:
        results.counts = database().counts(results.query, results.now)
        looser = results.query.any_word()
        if not results.counts and looser:
            results.query, results.any_word = looser, True
            results.counts = database().counts(looser, results.now)
    return results

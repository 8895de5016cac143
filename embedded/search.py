"""Searching the site: what a reader typed, turned into a ranked page of results.

`search(query, kind=None)` answers the same way on PostgreSQL (English text
search over a GIN-indexed tsvector, ranked with ts_rank_cd) and SQLite (FTS5
with Porter stemming, ranked with bm25). Nothing the reader types reaches the
database as anything but a bound parameter or a quoted FTS5 string.

Readers type questions, not keywords, so search:

- reads words, "quoted phrases", `or` and -exclusions, and ignores words that
  carry no meaning here ("how do I", "what is", "can we");
- widens each word or phrase to its synonyms (the editors' synonym groups and
  the glossary's terms with their other forms: PPI finds "patient and public
  involvement"), as OR groups inside the one full-text query;
- ranks a title or heading match over a body match, and guidance over pages
  readers seldom want first (a kind's `Searchable.rank`: references last,
  unless the query looks like a citation);
- shows each page once, linked to the section of it that best matches;
- puts pages editors pinned to the query (best bets) first;
- when no page has every word, suggests a spelling from the site's own words
  ("Did you mean …?", or its results at once when it is sure), and otherwise
  shows the pages that have most of the words, and says so.

Synonyms, best bets and the site's vocabulary are read once per content version
(`embedded.caching.content_version`) and kept in memory, so a search costs one
count query and one page query (more only when it finds nothing at first).
"""

import html
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify

from embedded.caching import content_version
from embedded.models import BestBet, GlossaryTerm, SearchEntry, SynonymGroup
from embedded.search_index import HIGHLIGHT_START, HIGHLIGHT_STOP, indexed_models

MAX_QUERY_LENGTH = 200
COUNT_LIMIT = 500  # results counted, at most: past it, "more than 500"
CANDIDATES = 100  # pages ranked for one page of results, of each of two sets (PostgreSQL)
HEADLINE_TEXT = 4000  # characters of a page without sections that its snippet comes from
MAX_FORMS = 12  # of one word's synonyms searched for
FEW_RESULTS = 3  # fewer than this, and a better spelling is looked for

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
# Words of a reader's question that say nothing about what they want on this site.
QUESTION_WORDS = frozenset(
    """
    would could might must may shall us let please need needs want wants know tell find
    get getting got go going way ways thing things someone something anyone anything
    really also like best good much many does anybody somebody whether possible able
    actually exactly basically generally usually typically new
    """.split()  # noqa: SIM905
)
IGNORED = STOP_WORDS | QUESTION_WORDS

WORD = re.compile(r"[^\W_]+")
# One token of what the reader typed: an optional minus, then a "quoted phrase" (an
# unclosed quote runs to the end) or a run of anything but spaces and quotes.
TOKEN = re.compile(r'(?P<minus>-+)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
CITATION = re.compile(r"\b(?:1[89]|20)\d\d\b|\bet al\b|\bdoi\b", re.IGNORECASE)
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,}")


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


def key_words(text):
    """The words of a text that mean something here, lower case, in order."""
    return tuple(word for word in WORD.findall(text.lower()) if word not in IGNORED)


def normalised(text):
    """A query as best bets compare it: its meaningful words, lower case."""
    return " ".join(key_words(text))


# Parsing: the reader's words, the way web search engines read them.


@dataclass(frozen=True)
class Words:
    """One word, or a phrase of words that must appear together in this order."""

    words: tuple

    @property
    def text(self):
        return " ".join(self.words)

    def fts5(self):
        return '"' + self.text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Term:
    """Something the reader asked for: any one of its forms will do (its synonyms)."""

    forms: tuple
    quoted: bool = False

    @property
    def word(self):
        """The one word typed, if that is all this term is, lower case; else None."""
        if self.quoted or len(self.forms) != 1 or len(self.forms[0].words) != 1:
            return None
        return self.forms[0].words[0].lower()

    def fts5(self):
        if len(self.forms) == 1:
            return self.forms[0].fts5()
        # The form typed comes first, and twice: bm25 then ranks it over its synonyms.
        forms = [self.forms[0], *self.forms]
        return "(" + " OR ".join(form.fts5() for form in forms) + ")"


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
    def terms(self):
        return [term for alternative in self.alternatives for term in alternative.required]

    def any_word(self):
        """The looser query for a question no item fully answers: any of its terms will do."""
        if len(self.alternatives) != 1 or len(self.alternatives[0].required) < 2:
            return Query()
        only = self.alternatives[0]
        return Query(tuple(Alternative((term,), only.excluded) for term in only.required))

    def typed(self):
        """Any of the words and phrases as typed, without their synonyms."""
        forms = dict.fromkeys(term.forms[0] for term in self.terms)
        return Query((Alternative((Term(tuple(forms)),)),)) if forms else Query()

    def highlights(self):
        """Every form of every term sought, any of which a snippet or section should show."""
        forms = dict.fromkeys(form for term in self.terms for form in term.forms)
        return Query((Alternative((Term(tuple(forms)),)),)) if forms else Query()

    def any_word_sought(self):
        """Any one word of any form sought: a text with none of them has nothing a
        snippet could highlight."""
        words = [word for term in self.terms for form in term.forms for word in form.words]
        meaningful = [word for word in words if word.lower() not in IGNORED] or words
        forms = dict.fromkeys(Words((word,)) for word in meaningful)
        return Query((Alternative((Term(tuple(forms)),)),)) if forms else Query()

    def fts5(self):
        """An FTS5 query in which every word is a quoted string."""
        alternatives = []
        for alternative in self.alternatives:
            expression = " AND ".join(term.fts5() for term in alternative.required)
            if alternative.excluded:
                excluded = " OR ".join(words.fts5() for words in alternative.excluded)
                expression = f"({expression}) NOT ({excluded})"
            alternatives.append(f"({expression})")
        return " OR ".join(alternatives)

    def tsquery(self):
        """A PostgreSQL tsquery expression, and its parameters (each a phrase)."""
        params = []

        def phrases(forms):
            params.extend(form.text for form in forms)
            return "(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(forms)) + ")"

        alternatives = []
        for alternative in self.alternatives:
            parts = [phrases(term.forms) for term in alternative.required]
            if alternative.excluded:
                parts.append("!!" + phrases(alternative.excluded))
            alternatives.append("(" + " && ".join(parts) + ")")
        return "(" + " || ".join(alternatives) + ")", params


def parse(text, synonyms=None):
    """The query a cleaned text asks for: words and "phrases" (all required), `or`, -word.

    Each unquoted run of words that is one of `synonyms`' keys (a tuple of key
    words) becomes one term with all of that group's forms.
    """
    groups, current = [], ([], [])
    for match in TOKEN.finditer(text):
        excluded, phrase, word = bool(match["minus"]), match["phrase"], match["word"]
        if phrase is None and not excluded and word.lower() == "or":
            groups.append(current)
            current = ([], [])
            continue
        found = WORD.findall(phrase if phrase is not None else word)
        if phrase is None:
            kept = [w for w in found if w.lower() not in IGNORED]
            words = [Words((w,)) for w in kept] if len(kept) != len(found) else [Words(tuple(kept))]
            words = [w for w in words if w.words]
        else:
            words = [w] if (w := _trimmed(found)) else []
        if excluded:
            current[1].extend(words)
        else:
            current[0].extend(Term((w,), quoted=phrase is not None) for w in words)
    groups.append(current)
    return Query(
        tuple(
            Alternative(
                tuple(dict.fromkeys(_with_synonyms(required, synonyms or {}))),
                tuple(dict.fromkeys(excluded)),
            )
            for required, excluded in groups
            if required
        )
    )


def _trimmed(words):
    """A phrase with the ignored words at either end trimmed off, or None if none are left."""
    while words and words[0].lower() in IGNORED:
        words = words[1:]
    while words and words[-1].lower() in IGNORED:
        words = words[:-1]
    return Words(tuple(words)) if words else None


def _with_synonyms(terms, synonyms):
    """The terms, each run of words that names a synonym group made one term of its forms."""
    longest = max((len(key) for key in synonyms), default=0)
    result, index = [], 0
    while index < len(terms):
        for size in range(min(longest, len(terms) - index), 0, -1):
            run = terms[index : index + size]
            key = tuple(term.word for term in run)
            if all(key) and (forms := synonyms.get(key)):
                typed = forms[0].get(key) or Words(tuple(w for t in run for w in t.forms[0].words))
                result.append(Term((typed, *(form for form in forms[1] if form != typed))))
                index += size
                break
        else:
            result.append(terms[index])
            index += 1
    return result


# What search knows of the site, read once per content version.


@dataclass
class Lexicon:
    """Synonym groups, best bets and (made when first needed) the site's vocabulary."""

    version: object
    synonyms: dict
    best_bets: dict
    _vocabulary: Counter = None
    _deletes: dict = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def read(cls, version):
        groups = [group.term_list() for group in SynonymGroup.objects.published()]
        for title, others in GlossaryTerm.objects.published().values_list("title", "also_matches"):
            outer = re.sub(r"\s*\(([^)]*)\)", "", title)
            inner = re.findall(r"\(([^)]*)\)", title)
            groups.append([outer, *inner, *others.splitlines()])
        bets = {}
        for query, url in BestBet.objects.values_list("query", "url"):
            bets.setdefault(normalised(query), []).append(url)
        return cls(version=version, synonyms=_merged(groups), best_bets=bets)

    def vocabulary(self):
        """How many pages use each word of three letters or more, and an index to misspell it.

        The index maps each word, and each word with one letter taken out, to
        the words it comes from (the "symmetric delete" method): two words one
        edit apart share an entry.
        """
        with self._lock:
            if self._vocabulary is None:
                counts = Counter()
                pages = SearchEntry.objects.filter(anchor="").values_list(
                    "title", "summary", "headings", "body"
                )
                for texts in pages.iterator(chunk_size=500):
                    counts.update(set(VOCABULARY_WORD.findall(" ".join(texts).lower())))
                for key in self.synonyms:
                    counts.update(key)
                deletes = {}
                for word in counts:
                    for variant in _one_letter_out(word):
                        deletes.setdefault(variant, set()).add(word)
                self._vocabulary, self._deletes = counts, deletes
        return self._vocabulary, self._deletes

    def correction(self, word):
        """(the likeliest word the site uses that `word` was meant to be, edits), or None."""
        counts, deletes = self.vocabulary()
        if word in counts:
            return None
        candidates = {w for variant in _one_letter_out(word) for w in deletes.get(variant, ())}
        scored = [
            (distance, -counts[candidate], candidate)
            for candidate in candidates
            if (distance := edits(word, candidate)) <= (1 if len(word) < 6 else 2)
        ]
        if not scored:
            return None
        distance, _, best = min(scored)
        return best, distance


def _merged(groups):
    """{key words: ({key words: form as written}, forms)}: groups sharing a form are one.

    A run of words the reader typed that is a key is searched for as written, then
    as each of the group's forms."""
    merged = []  # [(set of keys, list of forms)]
    for terms in groups:
        forms = [Words(tuple(WORD.findall(t))) for t in terms if key_words(t)]
        keys = {key_words(form.text) for form in forms}
        overlapping = [group for group in merged if group[0] & keys]
        for group in overlapping:
            merged.remove(group)
            keys |= group[0]
            forms = group[1] + forms
        merged.append((keys, forms))
    synonyms = {}
    for keys, forms in merged:
        unique = tuple(_fewest(forms))[:MAX_FORMS]
        if len(unique) > 1:
            as_written = {key_words(form.text): form for form in reversed(forms)}
            synonyms.update(dict.fromkeys(keys, (as_written, unique)))
    return synonyms


def _fewest(forms):
    """The forms that find everything all of them find: a plural, or a phrase with another
    form in it ("patient and public involvement" has "public involvement"), adds nothing."""

    def singular(form):
        return tuple(word.lower().removesuffix("s") for word in key_words(form.text))

    kept = {}
    for form in sorted(forms, key=lambda form: len(singular(form))):
        words = singular(form)
        if not any(_contains(words, shorter) for shorter in kept):
            kept[words] = form
    return kept.values()


def _contains(words, part):
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _one_letter_out(word):
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def edits(a, b):
    """The optimal string alignment distance: insertions, deletions, changes, swaps."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


_lexicon = None
_lexicon_lock = threading.Lock()


def lexicon():
    global _lexicon  # noqa: PLW0603 - one per process, replaced whole
    version = content_version()
    known = _lexicon
    if known is not None and known.version == version:
        return known
    with _lexicon_lock:
        if _lexicon is None or _lexicon.version != version:
            _lexicon = Lexicon.read(version)
        return _lexicon


def suggestion(text, query, lexicon):
    """(the text with each word the site does not use spelt as it does, sure) or (None, False).

    Sure means every change was of one letter (two in a long word) to a word
    the site uses.
    """
    corrected, sure = text, True
    typed = [
        word.lower()
        for term in query.terms
        if not term.quoted and len(term.forms) == 1
        for word in term.forms[0].words
    ]
    for word in dict.fromkeys(typed):
        if len(word) < 3 or not word.isalpha():
            continue
        found = lexicon.correction(word)
        if found is None:
            continue
        replacement, distance = found
        sure = sure and distance <= (1 if len(word) < 8 else 2)
        corrected = re.sub(
            rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", replacement, corrected, flags=re.I
        )
    return (corrected, sure) if corrected != text else (None, False)


# The databases. Each answers two questions: how many results of each kind, and
# one page of them, best first, each a `Row`: the page, its best-matching
# section and a snippet marked up with HIGHLIGHT_START and HIGHLIGHT_STOP.


@dataclass(frozen=True)
class Row:
    title: str
    kind: str
    url: str
    summary: str
    parent_title: str
    section_url: str | None
    section: str | None
    snippet: str


@dataclass(frozen=True)
class Ask:
    """What to ask the database: the query, and what narrows and orders it."""

    query: Query
    now: object
    citation: bool = False
    kind: str | None = None
    leave_out: tuple = ()  # addresses shown already, as best bets

    def filters(self, alias="e"):
        sql = f" AND {alias}.kind = %s" if self.kind else ""
        if self.leave_out:
            sql += f" AND {alias}.url NOT IN ({', '.join(['%s'] * len(self.leave_out))})"
        return sql, [*([self.kind] if self.kind else []), *self.leave_out]


class PostgreSQLSearch:
    HEADLINE = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, "
        "MaxFragments=1, MaxWords=30, MinWords=12"
    )
    # ts_rank_cd's weights are for labels D, C (body), B (summary, headings) and A
    # (title); its 1 divides by 1 + log(length), so a long part does not win by length
    # alone. Each page's rank is then scaled by its kind's (unless a citation is sought).
    WEIGHTS = "'{0.1, 0.1, 0.4, 1.0}'"
    # What a title or heading with the words as typed (not only a synonym) adds.
    TYPED = 0.1
    # Counted up to COUNT_LIMIT: beyond that, readers are told "more than".
    COUNTS = """
        SELECT kind, COUNT(*) FROM (
            SELECT e.kind
            FROM embedded_searchentry e
            WHERE e.search_vector @@ {q} AND e.published_at <= %s AND e.anchor = '' {filters}
            LIMIT %s
        ) AS matching
        GROUP BY kind
    """
    # The best section of each page on the page of results is the one most like the
    # words sought (any of them); the snippet is from it, or else from the whole page.
    # ts_headline parses all the text it is given (the dearest part of the page), so a
    # page whose body (weight C) has none of the words sought gets no snippet, at once.
    # The queries are written out where they are used, not in a CTE: PostgreSQL folds
    # them to constants at planning, and so uses the GIN index.
    PAGE = """
        SELECT page.title, page.kind, page.url, page.summary, page.parent_title,
               best.url, best.title,
               CASE WHEN best.body IS NOT NULL OR ts_filter(page.search_vector, '{{c}}') @@ {aq}
                    THEN ts_headline('english', coalesce(best.body, left(page.body, %s)), {hq}, %s)
               END
        FROM (
            SELECT e.id, e.page_key, e.title, e.kind, e.url, e.summary, e.parent_title, e.body,
                   e.search_vector,
                   (ts_rank_cd({weights}, e.search_vector, {q}, 1)
                    + %s * ts_rank_cd({weights}, e.head_vector, {tq}, 1))
                   * CASE WHEN %s THEN 1.0 ELSE e.rank END AS score
            FROM embedded_searchentry e
            WHERE e.id IN (
                (
                    SELECT h.id FROM embedded_searchentry h
                    WHERE h.head_vector @@ {q} AND h.published_at <= %s AND h.anchor = ''
                          {filters_h}
                    LIMIT %s
                ) UNION (
                    SELECT b.id FROM embedded_searchentry b
                    WHERE b.search_vector @@ {q} AND b.published_at <= %s AND b.anchor = ''
                          {filters_b}
                    LIMIT %s
                )
            ) {recheck}
            ORDER BY score DESC, e.title, e.id
            LIMIT %s OFFSET %s
        ) AS page
        LEFT JOIN LATERAL (
            SELECT s.url, s.title, s.body
            FROM embedded_searchentry s
            WHERE s.page_key = page.page_key AND s.anchor <> '' AND s.search_vector @@ {hq}
            ORDER BY ts_rank_cd({weights}, s.search_vector, {hq}, 1) DESC, s.id
            LIMIT 1
        ) AS best ON true
        ORDER BY page.score DESC, page.title, page.id
    """

    def counts(self, ask):
        q, q_params = ask.query.tsquery()
        filters, filter_params = ask.filters()
        sql = self.COUNTS.format(q=q, filters=filters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*q_params, ask.now, *filter_params, COUNT_LIMIT + 1])
            return dict(cursor.fetchall())

    def page(self, ask, offset, limit):
        """One page of results, ranked among a bounded set of candidates: every page
        that matches in its title, summary or headings (up to CANDIDATES), and the
        first CANDIDATES that match anywhere, so a word on every page stays cheap."""
        q, q_params = ask.query.tsquery()
        hq, hq_params = ask.query.highlights().tsquery()
        aq, aq_params = ask.query.any_word_sought().tsquery()
        tq, tq_params = ask.query.typed().tsquery()
        filters, filter_params = ask.filters()
        excluding = any(alternative.excluded for alternative in ask.query.alternatives)
        sql = self.PAGE.format(
            q=q,
            hq=hq,
            aq=aq,
            tq=tq,
            weights=self.WEIGHTS,
            filters_h=ask.filters("h")[0],
            filters_b=ask.filters("b")[0],
            # The title and headings alone cannot say that a word left out is absent.
            recheck=f"AND e.search_vector @@ {q}" if excluding else "",
        )
        candidates = max(CANDIDATES, offset + limit)
        params = [*aq_params, HEADLINE_TEXT, *hq_params, self.HEADLINE, *q_params, self.TYPED]
        params += [*tq_params, ask.citation]
        params += [*q_params, ask.now, *filter_params, candidates]
        params += [*q_params, ask.now, *filter_params, candidates]
        params += [*(q_params if excluding else []), limit, offset, *hq_params, *hq_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Row(*row) for row in cursor.fetchall()]


class SQLiteSearch:
    # bm25 weights for the title, summary, headings and body columns; bm25 is lower for
    # a better match, so a kind's rank below 1 moves its pages down.
    BM25 = "bm25(embedded_searchentry_fts, 10.0, 4.0, 4.0, 1.0)"
    SNIPPET = "snippet(embedded_searchentry_fts, 3, %s, %s, '…', 30)"
    COUNTS = """
        SELECT kind, COUNT(*) FROM (
            SELECT e.kind
            FROM embedded_searchentry_fts
            JOIN embedded_searchentry e ON e.id = embedded_searchentry_fts.rowid
            WHERE embedded_searchentry_fts MATCH %s AND e.published_at <= %s AND e.anchor = ''
                  {filters}
            LIMIT %s
        )
        GROUP BY kind
    """
    PAGE = """
        WITH page AS (
            SELECT e.id, e.page_key, e.title, e.kind, e.url, e.summary, e.parent_title,
                   {snippet} AS snippet,
                   {bm25} * CASE WHEN %s THEN 1.0 ELSE e.rank END AS score
            FROM embedded_searchentry_fts
            JOIN embedded_searchentry e ON e.id = embedded_searchentry_fts.rowid
            WHERE embedded_searchentry_fts MATCH %s AND e.published_at <= %s AND e.anchor = ''
                  {filters}
            ORDER BY score, e.title, e.id
            LIMIT %s OFFSET %s
        ),
        section AS (
            SELECT page_key, url, title, snippet,
                   ROW_NUMBER() OVER (PARTITION BY page_key ORDER BY score, id) AS n
            FROM (
                SELECT s.id, s.page_key, s.url, s.title, {snippet} AS snippet, {bm25} AS score
                FROM embedded_searchentry_fts
                JOIN embedded_searchentry s ON s.id = embedded_searchentry_fts.rowid
                WHERE embedded_searchentry_fts MATCH %s AND s.anchor <> ''
                      AND s.page_key IN (SELECT page_key FROM page)
            )
        )
        SELECT page.title, page.kind, page.url, page.summary, page.parent_title,
               section.url, section.title, coalesce(section.snippet, page.snippet)
        FROM page LEFT JOIN section ON section.page_key = page.page_key AND section.n = 1
        ORDER BY page.score, page.title, page.id
    """

    def counts(self, ask):
        filters, filter_params = ask.filters()
        with connection.cursor() as cursor:
            cursor.execute(
                self.COUNTS.format(filters=filters),
                [ask.query.fts5(), _as_stored(ask.now), *filter_params, COUNT_LIMIT + 1],
            )
            return dict(cursor.fetchall())

    def page(self, ask, offset, limit):
        filters, filter_params = ask.filters()
        sql = self.PAGE.format(snippet=self.SNIPPET, bm25=self.BM25, filters=filters)
        marks = [HIGHLIGHT_START, HIGHLIGHT_STOP]
        params = [*marks, ask.citation, ask.query.fts5(), _as_stored(ask.now), *filter_params]
        params += [limit, offset, *marks, ask.query.highlights().fts5()]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Row(*row) for row in cursor.fetchall()]


def _as_stored(moment):
    return connection.ops.adapt_datetimefield_value(moment)


def database():
    """The search of this database. SQLite without FTS5 cannot migrate (migration 0008)."""
    return PostgreSQLSearch() if connection.vendor == "postgresql" else SQLiteSearch()


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
class ResultKind:
    """A kind of item as search results name it: "Guide part", "Guide parts"."""

    slug: str
    label: str
    plural: str


def result_kinds():
    """Every kind of item search finds, in the order the registry lists them."""
    return [
        ResultKind(
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
    section: str = ""  # the heading of the section `url` leads to, if it leads to one
    snippet: str = ""
    best_bet: bool = False
    page_url: str = ""  # the page's own address, without the section

    def __post_init__(self):
        if not self.page_url:
            object.__setattr__(self, "page_url", self.url.split("#")[0])

    @classmethod
    def from_row(cls, row):
        return cls(
            title=row.title,
            kind=row.kind,
            url=row.section_url or row.url,
            summary=row.summary,
            parent_title=row.parent_title,
            section=row.section or "",
            snippet=highlighted(row.snippet),
            page_url=row.url,
        )


@dataclass(frozen=True)
class KindFilter:
    """A link that narrows the results to one kind, with how many there are."""

    kind: ResultKind
    count: int
    selected: bool


@dataclass
class SearchResults:
    """A sequence of `Result`s, best first, that fetches only the slice asked for.

    Its length and the counts per kind cost one query, made at once; each
    slice (a page) costs one more. Best bets come first, on the first page.
    """

    text: str
    truncated: bool = False
    kind: ResultKind | None = None
    query: Query = field(default_factory=Query)
    any_word: bool = False
    counts: dict = field(default_factory=dict)
    now: object = None
    citation: bool = False
    best_bets: list = field(default_factory=list)
    exact: bool = False  # no spelling corrected, whatever was typed
    searched_for: str = ""  # the text whose results these are, if a spelling was corrected
    did_you_mean: str = ""  # a spelling to offer, if not used

    @property
    def searchable(self):
        return bool(self.query)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def at_least(self):
        """Whether there are more results than were counted."""
        return self.total > COUNT_LIMIT

    @property
    def count_limit(self):
        return COUNT_LIMIT

    @property
    def pinned(self):
        if self.kind is None:
            return self.best_bets
        return [bet for bet in self.best_bets if bet.kind == self.kind.label]

    def ask(self):
        return Ask(
            query=self.query,
            now=self.now,
            citation=self.citation,
            kind=self.kind.label if self.kind else None,
            leave_out=tuple(bet.url for bet in self.best_bets),
        )

    def __len__(self):
        return self.counts.get(self.kind.label, 0) if self.kind else self.total

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Search results can only be sliced, one page at a time.")
        start, stop, _ = index.indices(len(self))
        if stop <= start:
            return []
        pinned = self.pinned[start:stop]
        offset = max(start - len(self.pinned), 0)
        limit = stop - start - len(pinned)
        rows = database().page(self.ask(), offset, limit) if limit > 0 else []
        return pinned + [Result.from_row(row) for row in rows]

    @property
    def query_string(self):
        """The search, as a link's query string, for every kind."""
        return urlencode({"q": self.text, **({"exact": "1"} if self.exact else {})})

    @property
    def exact_query_string(self):
        """A search for exactly what was typed, with no spelling corrected."""
        return urlencode({"q": self.text, "exact": "1"})

    @property
    def did_you_mean_query_string(self):
        return urlencode({"q": self.did_you_mean})

    @property
    def kind_filters(self):
        """Each kind that has results, with its count, for filtering by kind."""
        return [
            KindFilter(kind=kind, count=self.counts[kind.label], selected=kind == self.kind)
            for kind in result_kinds()
            if self.counts.get(kind.label)
        ]

    def count(self, query):
        ask = Ask(query=query, now=self.now, leave_out=tuple(bet.url for bet in self.best_bets))
        counts = Counter(database().counts(ask))
        counts.update(bet.kind for bet in self.best_bets)
        return dict(counts)


def _best_bets(urls, now):
    entries = SearchEntry.objects.filter(url__in=urls, anchor="", published_at__lte=now)
    by_url = {entry.url: entry for entry in entries}
    return [
        Result(
            title=entry.title,
            kind=entry.kind,
            url=entry.url,
            summary=entry.summary,
            parent_title=entry.parent_title,
            best_bet=True,
        )
        for url in urls
        if (entry := by_url.get(url))
    ]


def search(query, kind=None, exact=False):
    """Published items matching what the reader typed, best first.

    `query` is whatever the reader typed (it is cleaned and, past
    MAX_QUERY_LENGTH characters, cut short); `kind` a kind's slug (e.g.
    "case-study"): an unknown one means every kind. `exact` searches for what
    was typed even when a word looks misspelt.
    """
    text, truncated = clean_query(query)
    selected = next((k for k in result_kinds() if k.slug == kind), None)
    results = SearchResults(
        text=text, truncated=truncated, kind=selected, now=timezone.now(), exact=bool(exact)
    )
    known = lexicon()
    results.query = parse(text, known.synonyms)
    if not results.query:
        return results
    results.citation = bool(CITATION.search(text))
    if urls := known.best_bets.get(normalised(text)):
        results.best_bets = _best_bets(urls, results.now)
    results.counts = results.count(results.query)
    if results.total < FEW_RESULTS:
        corrected, sure = suggestion(text, results.query, known)
        if corrected and sure and not results.total and not exact:
            query = parse(corrected, known.synonyms)
            if counts := results.count(query):
                results.query, results.counts, results.searched_for = query, counts, corrected
                return results
        results.did_you_mean = corrected or ""
    looser = results.query.any_word()
    if not results.total and looser:
        results.query, results.any_word = looser, True
        results.counts = results.count(looser)
    return results

"""How fast search answers on PostgreSQL, with the shipped content and with 10,000 more parts.

    python bench/search.py

Creates its own database (embedded_bench_search) on the PostgreSQL server named
by BENCH_ADMIN_DATABASE_URL, or DATABASE_URL when that is PostgreSQL, or
postgres://postgres@127.0.0.1:5432/postgres; migrates it and loads content/.
Then it times each query as the search page runs it (the counts per type, then
the first page of results with snippets) BENCH_SEARCH_RUNS times (default 50),
adds 10,000 generated guide parts (bulk-created with their search entries, not
saved one by one), times the same queries again, prints p50 and p95 latency in
milliseconds, and drops the database. A benchmark, not a test.
"""

import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "embedded_bench_search"
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "50"))
GENERATED_PARTS = 10_000
QUERIES = [
    ("honorary contract", None),
    ("how do we fund a researcher in residence", None),
    ('"researcher in residence"', None),
    ("evaluation or audit", None),
    ("public involvement -payment", None),
    ("research", "guide-part"),
    ("honorary xylophone", None),  # no item has both: a second count, of either word
    ("PPI", None),  # a synonym group: one OR group in the one query
    ("how do I become an embedded researcher", None),
    ("reseacher in residense", None),  # misspelt: a suggestion, sure enough to show its results
]


def admin_url():
    for name in ["BENCH_ADMIN_DATABASE_URL", "DATABASE_URL"]:
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def recreate_database(admin):
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def drop_database(admin):
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def setup_django(admin):
    os.environ["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "embedded.settings"
    # Production settings, so DEBUG's query log does not weigh on the timings.
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def time_queries(label):
    from embedded.search import search
    from embedded.views import RESULTS_PER_PAGE

    rows = []
    for text, kind in QUERIES:
        timings = []
        for run in range(RUNS + 3):
            started = time.perf_counter()
            results = search(text, kind=kind)
            page = results[0:RESULTS_PER_PAGE]
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 3:  # the first few warm the caches
                timings.append(elapsed)
        assert len(page) == min(RESULTS_PER_PAGE, len(results))
        quantiles = statistics.quantiles(timings, n=20, method="inclusive")
        name = text + (f" (type={kind})" if kind else "")
        rows.append((label, name, len(results), statistics.median(timings), quantiles[18]))
    return rows


def shipped_text():
    import re

    from embedded.models import SearchEntry

    text = " ".join(SearchEntry.objects.order_by("key").values_list("body", flat=True))
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 5]
    return sentences, sorted(set(re.findall(r"[a-z]{3,}", text.lower())))


class TextMaker:
    """Sentences whose words follow a Zipf curve over the shipped words and 20,000 made-up
    ones (so a few words are everywhere and most are rare, as in real text), with one
    sentence in ten taken whole from the shipped content."""

    SYLLABLES = "ka lo mi ne ru sa ti vo we xe yu zo bra cle dri fon gal hin".split()  # noqa: SIM905

    def __init__(self, rng):
        self.rng = rng
        self.sentences, shipped_words = shipped_text()
        made_up = {
            "".join(rng.choice(self.SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(20_000)
        }
        self.words = shipped_words + sorted(made_up - set(shipped_words))
        rng.shuffle(self.words)
        self.weights = list(
            itertools.accumulate(1 / rank**1.1 for rank in range(1, len(self.words) + 1))
        )

    def sentence(self):
        if self.rng.random() < 0.1:
            return self.rng.choice(self.sentences)
        words = self.rng.choices(self.words, cum_weights=self.weights, k=self.rng.randint(8, 20))
        return " ".join(words).capitalize() + "."

    def title(self):
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=4)).capitalize()


def generate_corpus(count):
    """Guides of 500 parts each, of 5 to 14 paragraphs of made-up text."""
    from django.urls import reverse
    from django.utils import timezone

    from embedded.models import SearchEntry
    from embedded.search_index import indexed_models
    from guidance.models import Guide, GuidePart

    text = TextMaker(random.Random(1652))
    now = timezone.now()
    today = timezone.localdate()
    common = {
        "status": "published",
        "published_at": now,
        "last_reviewed": today,
        "next_review_due": today.replace(year=today.year + 1),
    }
    per_guide = 500
    started = time.perf_counter()
    for number in range(count // per_guide):
        guide = Guide(
            title=f"Generated guide {number}",
            slug=f"generated-{number}",
            summary="Generated for the search benchmark.",
            audience="researchers",
            order=10 + number,
            **common,
        )
        guide.save()  # one save: its (empty) parts are reindexed through the signals
        parts = []
        for order in range(1, per_guide + 1):
            paragraphs = [
                " ".join(text.sentence() for _ in range(text.rng.randint(3, 6)))
                for _ in range(text.rng.randint(5, 14))
            ]
            parts.append(
                GuidePart(
                    guide=guide,
                    order=order,
                    slug=f"part-{order}",
                    title=text.title(),
                    summary=text.sentence(),
                    body="\n\n".join(paragraphs),
                    body_html="".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs),
                    **common,
                )
            )
        GuidePart.objects.bulk_create(parts, batch_size=500)
        indexed = indexed_models()[GuidePart]
        entries = [entry for part in parts for entry in indexed.entries(part)]
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        assert entries[0].url == reverse("guidance:part", args=[guide.slug, "part-1"])
    return time.perf_counter() - started


def uses_the_gin_index():
    from django.db import connection
    from django.utils import timezone

    from embedded.search import COUNT_LIMIT, PostgreSQLSearch, lexicon, parse

    q, params = parse("honorary contract", lexicon().synonyms).tsquery()
    sql = PostgreSQLSearch.COUNTS.format(q=q, filters="")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, [*params, timezone.now(), COUNT_LIMIT + 1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    if os.environ.get("BENCH_SEARCH_PLAN"):
        print(plan)
    return "embedded_searchentry_search_vector" in plan


def main():
    admin = admin_url()
    recreate_database(admin)
    try:
        setup_django(admin)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from embedded.content import load
        from embedded.models import SearchEntry

        call_command("migrate", verbosity=0)
        load(settings.CONTENT_DIR)
        shipped = SearchEntry.objects.count()
        rows = time_queries(f"shipped ({shipped} items)")
        seconds = generate_corpus(GENERATED_PARTS)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE embedded_searchentry")
        total = SearchEntry.objects.count()
        rows += time_queries(f"+{GENERATED_PARTS:,} parts ({total:,} items)")
        gin = uses_the_gin_index()

        print(f"\nSearch latency: {RUNS} runs of each query (counts per type + first page)")
        print(f"Generated and indexed {GENERATED_PARTS:,} parts in {seconds:.1f}s.")
        print(f"The count query {'uses' if gin else 'does NOT use'} the GIN index.\n")
        print("| corpus | query | results | p50 ms | p95 ms |")
        print("|---|---|---:|---:|---:|")
        for corpus, query, found, p50, p95 in rows:
            print(f"| {corpus} | {query} | {found} | {p50:.1f} | {p95:.1f} |")
    finally:
        try:
            from django.db import connections

            connections.close_all()
            for alias in connections:
                close_pool = getattr(connections[alias], "close_pool", None)
                if close_pool:
                    close_pool()
        except Exception:  # noqa: BLE001, S110 - Django may never have started
            pass
        drop_database(admin)


if __name__ == "__main__":
    main()

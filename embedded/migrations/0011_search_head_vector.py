"""A small full-text index of each search entry's title, summary and headings, on PostgreSQL.

Search ranks a bounded set of candidates: those that match in a title, summary
or heading (found through this small index), and the first of those that match
anywhere; so a word that is on every page costs no more than a rare one. Other
databases need nothing here.
"""

from django.db import migrations

POSTGRESQL = [
    """
    ALTER TABLE embedded_searchentry ADD COLUMN head_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english', coalesce(headings, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX embedded_searchentry_head_vector ON embedded_searchentry USING GIN (head_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS embedded_searchentry_head_vector",
    "ALTER TABLE embedded_searchentry DROP COLUMN IF EXISTS head_vector",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("embedded", "0010_search_sections_synonyms_best_bets"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

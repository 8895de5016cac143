"""The search index: one table of entries, and the database's own full-text index over it.

PostgreSQL gets a stored, generated `search_vector` (English stemming; title
weighted A, summary B, body C) with a GIN index. SQLite gets an FTS5 table
(Porter stemming) that reads its text from the entries table and is kept in
step by triggers, so every write to the table, however made, updates it; where
this SQLite has no FTS5, nothing more is made and search falls back to plain
matching. The SQL is written out here, not imported, so this migration keeps
meaning what it meant.
"""

import sqlite3

from django.db import migrations, models

POSTGRESQL = [
    """
    ALTER TABLE embedded_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english', coalesce(body, '')), 'C')
    ) STORED
    """,
    # Kept in the row (compressed) rather than out of line in TOAST, so that the planner,
    # which does not count the cost of fetching TOASTed values, sees what a sequential
    # scan really costs and uses the GIN index; and ranking reads it faster.
    "ALTER TABLE embedded_searchentry ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX embedded_searchentry_search_vector ON embedded_searchentry "
    "USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS embedded_searchentry_search_vector",
    "ALTER TABLE embedded_searchentry DROP COLUMN IF EXISTS search_vector",
]

# Diacritics are kept (remove_diacritics 0), as PostgreSQL's English configuration keeps them.
SQLITE = [
    """
    CREATE VIRTUAL TABLE embedded_searchentry_fts USING fts5(
        title, summary, body,
        content='embedded_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER embedded_searchentry_fts_insert AFTER INSERT ON embedded_searchentry BEGIN
        INSERT INTO embedded_searchentry_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER embedded_searchentry_fts_delete AFTER DELETE ON embedded_searchentry BEGIN
        INSERT INTO embedded_searchentry_fts(embedded_searchentry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER embedded_searchentry_fts_update AFTER UPDATE ON embedded_searchentry BEGIN
        INSERT INTO embedded_searchentry_fts(embedded_searchentry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO embedded_searchentry_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    "INSERT INTO embedded_searchentry_fts(embedded_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS embedded_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS embedded_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS embedded_searchentry_fts_update",
    "DROP TABLE IF EXISTS embedded_searchentry_fts",
]


def sqlite_has_fts5():
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    return True


def statements(vendor, forwards):
    if vendor == "postgresql":
        return POSTGRESQL if forwards else POSTGRESQL_REVERSE
    if vendor == "sqlite" and (sqlite_has_fts5() or not forwards):
        return SQLITE if forwards else SQLITE_REVERSE
    return []


def add_full_text_index(apps, schema_editor):
    for statement in statements(schema_editor.connection.vendor, forwards=True):
        schema_editor.execute(statement)


def remove_full_text_index(apps, schema_editor):
    for statement in statements(schema_editor.connection.vendor, forwards=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("embedded", "0002_editors_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="The item indexed, e.g. guidance.guidepart:12.",
                        max_length=100,
                        unique=True,
                    ),
                ),
                (
                    "kind",
                    models.CharField(help_text="What the item is, e.g. Guide part.", max_length=50),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "parent_title",
                    models.CharField(
                        blank=True,
                        help_text="The title of what it belongs to: a part's guide.",
                        max_length=200,
                    ),
                ),
                ("summary", models.TextField(blank=True)),
                (
                    "body",
                    models.TextField(
                        blank=True, help_text="Everything else it says, as plain text."
                    ),
                ),
                ("url", models.CharField(max_length=300)),
                (
                    "published_at",
                    models.DateTimeField(
                        help_text=(
                            "When it goes live: search hides it until then "
                            "(and while its guide is hidden)."
                        )
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
            },
        ),
        migrations.RunPython(add_full_text_index, remove_full_text_index),
    ]

"""Search's full-text indexes, on PostgreSQL, written straight into their trees.

By default a GIN index ("fastupdate") puts new rows in a pending list, an
unsorted heap that every search reads from end to end, until a vacuum merges
it into the index. A content load or rebuild fills that list at once (up to
gin_pending_list_limit, 4 MB), and a manual ANALYZE does not empty it: with
10,000 parts just added, every search read some 440 pages of pending entries
of the headings index and took 20-30 ms more. Search reads these indexes far
more often than editors write them, so each write now pays to keep them sorted,
and what is pending is merged here. Other databases need nothing here.
"""

from django.db import migrations

INDEXES = ["embedded_searchentry_search_vector", "embedded_searchentry_head_vector"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
            schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("embedded", "0011_search_head_vector"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

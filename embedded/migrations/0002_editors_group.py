"""Once made the Editors group from a frozen list of permissions; now does nothing.

The group is kept in step with the content registry by `embedded.editors`
after every `migrate`, so a new content kind needs no migration here. This
migration stays (empty) because existing databases have it recorded and the
next one depends on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("embedded", "0001_initial"),
    ]

    operations = []

from django.db import migrations


class Migration(migrations.Migration):
    """`Competency.Kind` clashed with the content registry's `Kind`: a criterion's place in
    the person specification is its section."""

    dependencies = [
        ("guidance", "0002_help_text_for_editors"),
    ]

    operations = [
        migrations.RenameField(model_name="competency", old_name="kind", new_name="section"),
        migrations.RenameField(
            model_name="historicalcompetency", old_name="kind", new_name="section"
        ),
    ]

# The mutable run state moves to the evolution room (evolution.RunState): the record store keeps only
# immutable records. Removed here from the migration state only; the table and its rows stay where they
# are until evolution's 0002 takes them over and renames the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("provenance", "0007_imports_as_new_runs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RunState")],
            database_operations=[],
        ),
    ]

from django.db import migrations

from provenance.immutability import drop_triggers, install_triggers

RECORD_TABLES = ["provenance_runevent"]


def install(apps, schema_editor):
    install_triggers(schema_editor.connection, RECORD_TABLES)


def drop(apps, schema_editor):
    drop_triggers(schema_editor.connection, RECORD_TABLES)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0003_run_events")]

    operations = [migrations.RunPython(install, drop)]

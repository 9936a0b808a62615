from django.db import migrations

from provenance.immutability import drop_triggers, install_triggers

# Fixed here rather than read from the models: a migration must mean the same thing forever.
RECORD_TABLES = [
    "provenance_agent",
    "provenance_run",
    "provenance_prompt",
    "provenance_llmcall",
    "provenance_candidate",
    "provenance_evaluation",
    "provenance_edge",
    "provenance_annotation",
]


def install(apps, schema_editor):
    install_triggers(schema_editor.connection, RECORD_TABLES)


def drop(apps, schema_editor):
    drop_triggers(schema_editor.connection, RECORD_TABLES)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0001_initial")]

    operations = [migrations.RunPython(install, drop)]

# The run state comes over from provenance (its 0008 removed it from the state, table and rows untouched):
# created here in the migration state only, on the table it already has, then the table is renamed to
# evolution_runstate with its rows.

import django.db.models.deletion
from django.db import migrations, models

STATUSES = [
    ("created", "Created"),
    ("running", "Running"),
    ("stopping", "Stopping"),
    ("finished", "Finished"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("evolution", "0001_evaluation_jobs"),
        ("provenance", "0008_run_state_leaves_the_record_store"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RunState",
                    fields=[
                        (
                            "run",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                primary_key=True,
                                related_name="state",
                                serialize=False,
                                to="provenance.run",
                            ),
                        ),
                        ("status", models.CharField(choices=STATUSES, default="created", max_length=12)),
                        ("message", models.TextField(blank=True)),
                        ("candidates", models.PositiveIntegerField(default=0)),
                        ("evaluations", models.PositiveIntegerField(default=0)),
                        ("failures", models.PositiveIntegerField(default=0)),
                        ("in_flight", models.PositiveIntegerField(default=0)),
                        ("llm_calls", models.PositiveIntegerField(default=0)),
                        ("input_tokens", models.PositiveBigIntegerField(default=0)),
                        ("output_tokens", models.PositiveBigIntegerField(default=0)),
                        ("cost", models.DecimalField(decimal_places=6, default=0, max_digits=14)),
                        ("best_score", models.FloatField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "best_candidate",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="provenance.candidate",
                            ),
                        ),
                    ],
                    options={"db_table": "provenance_runstate"},
                ),
            ],
            database_operations=[],
        ),
        # From the old table name to the app's own (None: the default, evolution_runstate).
        migrations.AlterModelTable(name="runstate", table=None),
    ]

"""A small ancestry with every kind of step, and hostile strings wherever a person or a model can type."""

from dataclasses import dataclass

import pytest
from django.core.management.color import no_style
from django.db import connection

from evolution.runs import start_run
from provenance import ledger
from provenance.exports import runstate
from provenance.models import Candidate
from tests.steps import record_llm_step

# LaTeX specials, file and shell escapes, HTML, Markdown fences, control characters, unicode.
HOSTILE = (
    "\\input{/etc/passwd} \\write18{touch /tmp/pwned} \\immediate\\write18{id} \\catcode`\\@=11 "
    "$x^2$ & % # _ { } ~ ^ \\\\ \\end{document} <script>alert(1)</script> <img src=x onerror=alert(2)> "
    "``` ```` ~~~ ]]> <!-- --> | pipe | \x07bell \x1b[31mred\x1b[0m \x0bvt \x7f "
    "é ü ß → … 🙂 中文 \u202eevil\u202c \u2028line\u2029para"
)
MARKER = "HOSTILE-MARKER"


@dataclass
class Story:
    run: object
    founder: Candidate
    mutant: Candidate
    llm: Candidate
    final: Candidate
    stranger: Candidate  # in the run, not in final's ancestry
    step: object
    note: object


@pytest.fixture
def story(project, alice, bob):
    alice.first_name, alice.last_name = "Alice", "<b>\\input{/etc/passwd} $_^&%#~ \x1b[31m 🙂</b>"  # ≤ 150
    alice.save()
    run = start_run(
        project,
        family="trianglebox",
        problems=["rank3", f"p{HOSTILE}"],
        engine="mixed",
        started_by=alice,
        random_seed=7,
        code_version="test",
        title=f"{MARKER} {HOSTILE}"[:200],
    )
    laporta = ledger.literature_agent(
        "Laporta rule", "S. Laporta, Int. J. Mod. Phys. A 15 (2000) 5087", "hep-ph/0102033"
    )
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    gpt = ledger.model_agent("openai", "gpt-4o-mini", version="2024-07-18", params={"temperature": 0.8})
    founder = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top\n",
        activity="literature",
        agent=laporta,
    )
    ledger.record_evaluation(
        founder,
        problem="rank3",
        verdict="complete",
        score=-120,
        seeds=120,
        solver_version="seedtrace-solver 1",
        prime=2147483647,
        point={"s": 3, "t": 5},
    )
    mutant = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return seed.r <= seed.r_top\n",
        activity="gp_mutation",
        agent=gp,
        parents=[(founder, "parent")],
        params={"operator": "shrink", "note": HOSTILE},
    )
    ledger.record_evaluation(
        mutant,
        problem="rank3",
        verdict="failed",
        failure="exception",
        error=f"Traceback {HOSTILE}",
        solver_version="seedtrace-solver 1",
    )
    step = record_llm_step(
        run,
        prompt=dict(
            template_name="funsearch",
            template_version="2",
            text=f"PROMPT-TEXT-1 improve keep_v1 {HOSTILE}",
            slots=[founder, mutant],
        ),
        call=dict(
            agent=gpt,
            response_text=f"MODEL-OUTPUT-1 ```python\ndef keep_v2(seed):  # {HOSTILE}\n",
            request_temperature=0.8,
            request_max_tokens=512,
            request_seed=11,
            usage_input_tokens=300,
            usage_output_tokens=40,
            cost="0.00012",
            price_table="openai-2024-07",
            latency_seconds=1.5,
            response_finish_reasons=["stop"],
        ),
        candidate=dict(
            source=f"def keep(seed):\n    # {HOSTILE}\n    return seed.r <= seed.r_top and seed.d == 0\n"
        ),
        evaluations=[
            dict(
                problem="rank3",
                verdict="complete",
                score=-92,
                seeds=92,
                solver_version="seedtrace-solver 1",
                prime=2147483647,
            )
        ],
    )
    final = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return seed.r <= seed.r_top and seed.d <= 0\n",
        activity="gp_mutation",
        agent=gp,
        parents=[(step.candidate, "parent")],
    )
    ledger.record_evaluation(
        final,
        problem="rank3",
        verdict="complete",
        score=-90,
        seeds=90,
        solver_version="seedtrace-solver 1",
        prime=2147483647,
    )
    stranger = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return STRANGER\n",
        activity="gp_mutation",
        agent=gp,
        parents=[(founder, "parent")],
    )
    ledger.record_events(run, [("register", {"program_id": final.pk, "island": 0}, final)])
    note = ledger.annotate(final, f"NOTE-BODY {HOSTILE}", bob)
    ledger.annotate(final, f"NOTE-BODY v2 {HOSTILE}", bob, previous=note)
    ledger.annotate(step.llm_call, "the call looked fine", alice)
    return Story(run, founder, mutant, step.candidate, final, stranger, step, note)


def empty_database() -> None:
    """Every table but Django's own bookkeeping emptied, past the append-only triggers (tests/conftest.py)."""
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    tables = [t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep]
    if (
        connection.vendor == "postgresql"
    ):  # TRUNCATE refuses tables with deferred checks pending: run them now
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def no_keeper():
    """For one test, no room keeps run state (as on a server without the evolution app)."""
    keeper = runstate.unregister()
    yield
    runstate.register(keeper.model, read=keeper.read, restore=keeper.restore)

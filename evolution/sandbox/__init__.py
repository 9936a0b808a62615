"""Sandbox for untrusted seeding rules (issue 4, item 4). No Django: usable from a Celery worker or a script.

    table = SeedTable(features, ("t", "r", "s", "d", "sector"), {"t_top": 6, "r_top": 7, "s_top": 1}, indices)
    outcome = run("def keep(seed):\n    return seed.r <= 6 and seed.s <= 3\n", table)
    outcome.ok, outcome.selection, outcome.failure, outcome.reason, outcome.seconds

Layers: policy.py (static AST whitelist, clear refusals), vector.py (numpy fast path for pure expressions,
in-process, no rule code executed), zygote.py (a forked, rlimited, seccomp-filtered child per evaluation;
report.py words its failures), runner.py (limits, outcomes, the zygote's client, started with an empty
environment).
"""

from .policy import SAFE_BUILTINS, SEED_ATTRIBUTES, Refused
from .protocol import FAILURES
from .runner import Limits, Outcome, Sandbox, SandboxError, check, run, run_rule
from .table import SeedTable

__all__ = [
    "FAILURES",
    "SAFE_BUILTINS",
    "SEED_ATTRIBUTES",
    "Limits",
    "Outcome",
    "Refused",
    "Sandbox",
    "SandboxError",
    "SeedTable",
    "check",
    "run",
    "run_rule",
]

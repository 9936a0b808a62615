"""What a run's records must say of themselves beyond their hashes: one controller's account of one run.

Every record of a run can hash and link correctly and still tell of two controllers evolving the run at once,
each writing its own steps: the same step number twice, the starting population founded twice, more
candidates proposed than the budget. `verify` reports the first such record as a mismatch.

Read from the records alone (a candidate's params, the run's config), so provenance needs nothing of the
evolution room: a controller numbers its steps 0, 1, 2, … in params.step (a step of a language model makes
one candidate per sample, params.sample), and marks its starting population params.founder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from provenance.models import Candidate, Record, Run


@dataclass(frozen=True)
class Inconsistency:
    candidate: Candidate  # the first candidate that should not be there
    reason: str


def first_inconsistency(run: Run, records: Iterable[Record]) -> Inconsistency | None:
    """The first of the run's candidates (in seq order) that one controller could not have recorded."""
    config = run.config if isinstance(run.config, dict) else {}
    budget, population = _count(config.get("budget")), _count(config.get("population"))
    steps: dict[tuple, Candidate] = {}
    founders = proposed = 0
    for record in sorted((r for r in records if isinstance(r, Candidate)), key=lambda r: r.seq):
        params = record.params if isinstance(record.params, dict) else {}
        if "step" in params:
            key = (_key(params["step"]), _key(params.get("sample")))
            if key in steps:
                sample = "" if params.get("sample") is None else f" (sample {params['sample']})"
                return Inconsistency(record, f"step {params['step']}{sample} recorded twice (first by "
                                             f"candidate {steps[key].pk}); two controllers on one run?")
            steps[key] = record
        elif params.get("founder"):
            founders += 1
            if population is not None and founders > max(1, population):
                return Inconsistency(record, f"{founders} founders on a starting population of {population}; "
                                             "two controllers on one run?")
        else:
            continue  # a person's candidate, or one recorded outside an evolution
        proposed += 1
        if budget is not None and proposed > max(budget, founders):  # a population may outgrow its budget
            return Inconsistency(record, f"{proposed} candidates proposed on a budget of {budget}; "
                                         "two controllers on one run?")
    return None


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _key(value):
    """A params value as a dictionary key (JSON: a number, a string, … or a list)."""
    return repr(value) if isinstance(value, (list, dict)) else value

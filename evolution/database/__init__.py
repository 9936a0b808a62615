"""The program database after FunSearch (implementation/programs_database.py), pure Python and numpy.

Islands hold clusters of programs keyed by their score signature (one score per problem). A cluster's score
is the headline score, the sum of the signature. Parents are drawn from distinct clusters by a Boltzmann
choice at T = T_init * (1 - (n mod period) / period), n being the programs ever registered on the island;
inside a cluster shorter programs are preferred. Every `reset_period` registrations the weaker half of the
islands is emptied and each is re-founded from a random surviving island's best program; every
`migration_period` registrations (off by default) each island's best is copied to the next island.

Where this differs from FunSearch, and why:
- Cluster score is the sum of the signature, not the score on the last input: our problems are targets of
  one family in no particular order, and the goal is the fewest seeds over all of them.
- Cluster scores are normalised within the island before the softmax (FunSearch uses them raw). Ours are
  minus seed counts of order 100-1000, where raw scores at T = 0.1 would be a pure argmax. The default,
  "relative", divides the shortfall from the island's best by the best's magnitude, so T = 0.1 makes a
  cluster 10% worse e times less likely. Min-max ("range") was rejected as the default because one
  penalised program stretches the range and makes 88 and 92 seeds look alike; "none" is FunSearch's.
- k distinct clusters per sample (FunSearch draws with replacement, so both parents could be the same
  cluster); fewer when the island has fewer clusters, as FunSearch does.
- Migration along a ring of islands is ours (FunSearch moves programs only by resets), off unless asked for.
- Resets are triggered by a count of registrations (wall clock optionally): a rerun with the same seed
  then resets at the same moments. Ties among the weakest islands are broken by a seeded shuffle.
- Length is what the caller passes; `program_length` (AST nodes, docstrings not counted) is the intended
  measure, so formatting and comments of GP, LLM and human programs do not decide between them.
- Under a Pareto objective (evolution.objective) clusters are keyed by signature and point, and a cluster's
  logit is minus its point's relative distance from the island's front (the additive ε-indicator; front
  points 0), whatever `normalisation` says: with one axis it is "relative". The whole front is sampled
  alike, so the search spreads along it instead of climbing one mix of the axes. An island's best (what
  resets rank islands by and migrations copy) is then its point's lexicographic best: the front's end on
  the first axis, a point no other dominates.
- Which programs enter: those that ran, complete or incomplete with the solver's penalty score (a near miss
  can still be a parent). Refused, crashed and timed-out programs have no score and are not registered.
- No pickles: every random decision uses a generator seeded from (seed, draw number); events record their
  draw, and `ProgramsDatabase.replay(config, events)` re-applies the log, re-makes and checks each draw,
  and ends in the same state with the same next draw, so a resumed run samples as the uninterrupted one.
"""

from .cluster import RegisteredProgram, program_length
from .config import DatabaseConfig
from .events import (
    ChooseIslandEvent,
    Event,
    MigrateEvent,
    RegisterEvent,
    ResetEvent,
    SampleEvent,
    event_from_dict,
    event_to_dict,
)
from .island import Island
from .programs_database import ProgramsDatabase, ReplayError

__all__ = [
    "ChooseIslandEvent",
    "DatabaseConfig",
    "Event",
    "Island",
    "MigrateEvent",
    "ProgramsDatabase",
    "RegisterEvent",
    "RegisteredProgram",
    "ReplayError",
    "ResetEvent",
    "SampleEvent",
    "event_from_dict",
    "event_to_dict",
    "program_length",
]

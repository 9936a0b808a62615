"""A synthetic run to look at, written in seconds: GP-like islands of mutations and crossovers from literature
founders, some LLM steps with their prompts and calls, a migration now and then, a person's edit, notes, and
an evaluation of every candidate. Everything is written through provenance.ledger, so the run verifies like a
real one; the scores are made up (no solver runs). The tests use it for a big run quickly (10,000 candidates
in the browser test); the benches measure runs of the real engines instead (bench/engine_run.py)."""

import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from evolution.engines.llm import roles
from evolution.models import RunState
from evolution.runs import start_run
from provenance import ledger
from provenance.models import Membership, Project

ISLANDS = 10
CHUNK = 200  # candidates per transaction
LLM_SHARE, CROSSOVER_SHARE, MIGRATION_SHARE = 0.05, 0.4, 0.01
NOTES = 25
PROMPT = (
    "You write seeding rules for IBP reduction of Feynman integrals. Improve on the versions below.\n\n{v0}\n"
    '{v1}\ndef keep_v2(seed):\n    """Improved version of `keep_v1`."""\n'
)
CONDITIONS = [
    "seed.r <= seed.r_top + {a}",
    "seed.s <= seed.s_top + {b}",
    "seed.d <= {c}",
    "seed.r + seed.s <= seed.r_top + seed.s_top + {a}",
    "(seed.t_top - seed.t) <= {b}",
]


class Command(BaseCommand):
    help = "Write a synthetic run of N candidates with a realistic lineage in seconds (demos, tests)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=1000)
        parser.add_argument("--project", default="demo", help="project slug (created if missing)")
        parser.add_argument("--owner", help="username made the project's owner (and author of the notes)")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, candidates: int, project: str, owner: str | None, seed: int, **options):
        if candidates < ISLANDS:
            raise CommandError(f"a demo run has at least {ISLANDS} candidates (one founder per island)")
        started = time.perf_counter()
        user = _owner(owner)
        project_row, _ = Project.objects.get_or_create(slug=project, defaults={"name": f"Demo ({project})"})
        Membership.objects.get_or_create(project=project_row, user=user, defaults={"role": "owner"})
        run = Synthetic(project_row, user, candidates, random.Random(seed)).write()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, or the lineage queries scan whole tables
        seconds = time.perf_counter() - started
        self.stdout.write(f"run {run.pk}: {candidates} candidates in project {project!r} ({seconds:.1f} s)")


def _owner(username: str | None):
    users = get_user_model()
    if username is None:
        user, _ = users.objects.get_or_create(username="demo", defaults={"first_name": "Demo"})
        return user
    user = users.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user


class Synthetic:
    """Candidates appear island by island, generation by generation; each one's hidden quality is its
    parents' plus noise, so the best rule improves along a few lineages as in a real run."""

    def __init__(self, project, user, candidates: int, rng: random.Random):
        self.project, self.user, self.total, self.rng = project, user, candidates, rng
        self.quality: dict[int, float] = {}
        self.best: tuple[float, object] | None = None
        self.counts = {
            "evaluations": 0,
            "failures": 0,
            "llm_calls": 0,
            "input": 0,
            "output": 0,
            "cost": Decimal(),
        }

    def write(self):
        self.run = start_run(
            self.project,
            family="trianglebox",
            problems=["rank3"],
            engine="mixed",
            config={"synthetic": True, "islands": ISLANDS},
            random_seed=self.rng.randrange(2**31),
            started_by=self.user,
            title=f"Synthetic run of {self.total} candidates",
        )
        self.laporta = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
        self.mutation = ledger.algorithm_agent("gp", "mutation", version="demo")
        self.crossover = ledger.algorithm_agent("gp", "crossover", version="demo")
        self.migration = ledger.algorithm_agent("gp", "migration", version="demo")
        self.model = ledger.model_agent("openai", "gpt-4o-mini", params={"temperature": 0.8})
        self.person = ledger.person_agent(self.user)
        islands: list[list] = [[] for _ in range(ISLANDS)]
        made = 0
        while made < self.total:
            with ledger.batch(self.run):
                for _ in range(min(CHUNK, self.total - made)):
                    island = made % ISLANDS
                    islands[island].append(self.next(islands, island, made))
                    made += 1
        self.finish(islands)
        return self.run

    def next(self, islands: list[list], island: int, made: int):
        pool, rng = islands[island], self.rng
        if not pool:
            return self.record(self.laporta, "literature", [], island, quality=-120.0)
        if made == self.total - 1:
            return self.record(self.person, "human_edit", [(self.best[1], "human_edit_of")], island)
        draw = rng.random()
        if draw < MIGRATION_SHARE and made > ISLANDS:
            other = rng.choice([i for i in range(ISLANDS) if i != island and islands[i]])
            return self.record(
                self.migration,
                "migration",
                [(self.pick(islands[other]), "migration_source")],
                island,
                same=True,
            )
        if draw < MIGRATION_SHARE + LLM_SHARE:
            return self.llm_step(pool, island)
        if draw < MIGRATION_SHARE + LLM_SHARE + CROSSOVER_SHARE and len(pool) > 1:
            first, second = self.pick(pool), self.pick(pool)
            if first.pk != second.pk:
                return self.record(
                    self.crossover, "gp_crossover", [(first, "parent"), (second, "crossover_donor")], island
                )
        return self.record(self.mutation, "gp_mutation", [(self.pick(pool), "parent")], island)

    def pick(self, pool: list):
        """A tournament of three among the island's recent candidates."""
        recent = pool[-60:]
        return max((self.rng.choice(recent) for _ in range(3)), key=lambda c: self.quality[c.pk])

    def inherit(self, parents: list, same: bool = False) -> float:
        base = max(self.quality[parent.pk] for parent, _ in parents)
        return base if same else base + self.rng.gauss(-0.6, 2.0)

    def record(self, agent, activity: str, parents: list, island: int, *, quality=None, same=False):
        quality = self.inherit(parents, same) if quality is None else quality
        with ledger.batch(self.run) as chain, chain.deferred():  # candidate and evaluation: one write
            candidate = ledger.record_candidate(
                self.run,
                source=self.source(quality),
                activity=activity,
                agent=agent,
                parents=parents,
                island=island,
            )
            evaluation = self.evaluation(quality)
            ledger.record_evaluation(candidate, **evaluation)
        self.scored(candidate, quality, failed=evaluation["verdict"] == "failed")  # now it has an id
        return candidate

    def llm_step(self, pool: list, island: int):
        """A prompt showing two of the island's programs, one call, its program and evaluation: the records
        an LLM engine writes, with its edges (the last program shown is the parent, the other inspired)."""
        shown = sorted({self.pick(pool) for _ in range(2)}, key=lambda c: self.quality[c.pk])
        quality = self.inherit([(c, "parent") for c in shown]) + self.rng.gauss(1.0, 3.0)
        source = self.source(quality)
        versions = {f"v{i}": c.source.replace("def keep", f"def keep_v{i}") for i, c in enumerate(shown)}
        text = PROMPT.format(v0=versions["v0"], v1=versions.get("v1", ""))
        evaluation = self.evaluation(quality)
        with ledger.batch(self.run) as chain, chain.deferred():  # as record(): one write
            prompt = ledger.record_prompt(self.run, template_name="funsearch", template_version="1",
                                          text=text, slots=shown)
            fields = self.call(text, source)
            call = ledger.record_llm_call(self.run, agent=self.model, prompt=prompt, **fields)
            candidate = ledger.record_candidate(self.run, source=source, activity="llm", llm_call=call,
                                                parents=roles(shown), island=island)
            ledger.record_evaluation(candidate, **evaluation)
        self.scored(candidate, quality, failed=evaluation["verdict"] == "failed")
        return candidate

    def call(self, text: str, source: str) -> dict:
        """A call's fields, tokens and cost made up from the lengths of the prompt and the program."""
        tokens_in, tokens_out = len(text) // 4, len(source) // 4 + 20
        cost = Decimal(f"{(tokens_in * 0.15 + tokens_out * 0.6) / 1e6:.8f}")
        for key, value in (("llm_calls", 1), ("input", tokens_in), ("output", tokens_out), ("cost", cost)):
            self.counts[key] += value
        return dict(provider_name="openai", request_temperature=0.8, request_max_tokens=512,
                    response_text=source.replace("def keep", "def keep_v2"), response_finish_reasons=["stop"],
                    usage_input_tokens=tokens_in, usage_output_tokens=tokens_out, latency_seconds=1.2,
                    cost=cost, price_table="demo")

    def source(self, quality: float) -> str:
        rng = self.rng
        lines = rng.sample(CONDITIONS, rng.randint(1, 3))
        terms = [line.format(a=rng.randint(0, 3), b=rng.randint(0, 4), c=rng.randint(0, 2)) for line in lines]
        body = " and ".join(terms)
        return f"def keep(seed):\n    # quality {quality:.2f}\n    return {body}\n"

    def evaluation(self, quality: float) -> dict:
        if self.rng.random() < 0.04:
            return dict(problem="rank3", verdict="failed", failure="timeout", error="over the 30 s limit")
        seeds = max(16, round(-quality))
        return dict(
            problem="rank3",
            verdict="complete",
            score=-float(seeds),
            seeds=seeds,
            equations=seeds * 9,
            independent_equations=seeds * 8,
            masters=16,
            unreduced=0,
            seconds=round(self.rng.uniform(0.05, 0.5), 3),
            solver_version="demo",
        )

    def scored(self, candidate, quality: float, failed: bool) -> None:
        self.quality[candidate.pk] = quality
        self.counts["evaluations"] += 1
        self.counts["failures"] += failed
        if not failed and (self.best is None or quality > self.best[0]):
            self.best = (quality, candidate)

    def finish(self, islands: list[list]) -> None:
        best = self.best[1]
        everyone = [candidate for pool in islands for candidate in pool]
        for candidate in [best, *self.rng.sample(everyone, min(NOTES, len(everyone)))]:
            ledger.annotate(
                candidate,
                f"Looked at this one: **{candidate.activity}** on island {candidate.island}.",
                self.user,
            )
        ledger.annotate(self.run, "A synthetic run written by `manage.py seed_demo`.", self.user)
        evaluation = best.evaluations.get()
        RunState.objects.filter(run=self.run).update(
            status=RunState.Status.FINISHED,
            candidates=self.total,
            evaluations=self.counts["evaluations"],
            failures=self.counts["failures"],
            llm_calls=self.counts["llm_calls"],
            input_tokens=self.counts["input"],
            output_tokens=self.counts["output"],
            cost=self.counts["cost"],
            best_score=evaluation.score,
            best_candidate=best,
            message="synthetic: written by seed_demo",
        )

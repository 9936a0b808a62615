"""`manage.py evolve`: run (or resume) an evolution of seeding rules, with a progress line on stderr."""

import json
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from evolution import stop_signals
from evolution.config import EvolutionConfig
from evolution.controller import Controller, DatabaseLost, Progress
from evolution.engines import ENGINES
from evolution.lease import ControllerAlive, ControllerLost
from evolution.models import RunState
from evolution.projects import NoProject, project_for_run
from evolution.runs import state_of
from provenance.models import Run
from solver.family import FamilyError


class Command(BaseCommand):
    help = "Evolve seeding rules on a family's problems; every step is recorded."

    def add_arguments(self, parser):
        parser.add_argument("--family", help="built-in family name or a family file")
        parser.add_argument("--problem",
                            help="problem name(s), comma-separated (default: the family's default_problems)")
        parser.add_argument("--held-out", default="",
                            help="problems of the family never trained on, comma-separated: the rules that "
                                 "could be the run's result are scored on them too")
        parser.add_argument("--engine", default="gp", choices=sorted(ENGINES))
        parser.add_argument("--budget", type=int, help="candidates in all, starting population included")
        parser.add_argument("--workers", type=int, default=1, help="evaluations in flight")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--population", type=int, default=8, help="starting population size")
        parser.add_argument("--founders", default="laporta",
                            help="literature rules that start the population, comma-separated: laporta "
                                 "(default), kira3, kira3_floored; random programs fill the rest")
        parser.add_argument("--islands", type=int, help="program database islands (default 4)")
        parser.add_argument("--reset-every", type=int, metavar="N",
                            help="reset the weaker half of the islands every N registrations (default 200)")
        parser.add_argument("--migrate-every", type=int, metavar="N",
                            help="copy each island's best to the next every N registrations (default never)")
        parser.add_argument("--cap", default="laporta", help="seed cap per problem: laporta, default or N")
        parser.add_argument("--objective", default="seeds",
                            help="what a complete reduction costs: seeds (default), or a weighted mix of "
                                 "seeds, equations and the elimination's work counts, such as "
                                 "'seeds+0.001*multiply_adds', or a Pareto front of seeds against one or two "
                                 "of them, such as 'pareto(seeds,pivot_row_entries)' (evolution.objective)")
        parser.add_argument("--rank-growth", action="store_true",
                            help="score only rules that keep their targets' corners (at their rank and "
                                 "with up to 3 more numerator powers) and keep for s_top + 1 every seed they "
                                 "keep for s_top; the others score as over the cap (evolution.rank_growth)")
        parser.add_argument("--project", help="project slug (created, owned by --user, if missing; default: "
                                              "--user's only project, or a new one named after them)")
        parser.add_argument("--user", help="username of the person starting the run (an owner or editor)")
        parser.add_argument("--title", default="")
        parser.add_argument("--minutes", type=float, help="stop proposing after this long (budget caps too)")
        parser.add_argument("--resume", type=int, metavar="RUN", help="continue an interrupted run")
        parser.add_argument("--json", action="store_true", help="print a summary object on stdout")
        llm = parser.add_argument_group("LLM (--engine llm or mixed; the API key only from LLM_API_KEY)")
        caps = parser.add_argument_group("LLM budget caps (none by default)")
        for group, table in ((llm, LLM_OPTIONS), (caps, LLM_CAPS)):
            for flag, kind, name, what in table:
                group.add_argument(flag, type=kind, dest=f"llm_{name}", help=what)

    def handle(self, *args, **options):
        if options["minutes"] is not None and not options["minutes"] > 0:
            raise CommandError("--minutes must be positive")
        controller = self._resume(options) if options["resume"] else self._start(options)
        show = None if options["verbosity"] == 0 else _ProgressLine(sys.stderr)
        if options["verbosity"]:
            self.stderr.write(f"run {controller.run.pk} in project {controller.run.project.slug!r}: "
                              f"{run_url(controller.run.pk)}")
        resume = f"manage.py evolve --resume {controller.run.pk}"
        try:
            with stop_signals.remembered():
                final = controller.evolve(progress=show, minutes=options["minutes"])
        except KeyboardInterrupt as interrupted:
            raise CommandError(f"{str(interrupted) or 'interrupted'}; continue with: {resume}") from None
        except DatabaseLost as lost:
            raise CommandError(f"stopped: {lost}; continue with: {resume}") from None
        except (ControllerAlive, ControllerLost) as error:  # another controller has the run
            raise CommandError(str(error)) from None
        finally:
            if show:
                show.close()
        summary = _summary(final)
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"run {final.run}: {final.evaluations} evaluations, {final.failures} failed, best score "
                f"{summary['best_score']} ({summary['best_seeds']} seeds) by candidate {final.best_candidate}"
                f"\n{summary['url']}"
            )

    def _start(self, options) -> Controller:
        # `is None`, not falsiness: --budget 0 and --islands 0 are mistakes to name, not options left out.
        if not options["family"] or options["budget"] is None:
            raise CommandError("--family and --budget are required (or --resume RUN)")
        try:
            config = EvolutionConfig(
                family=options["family"], problems=tuple(self._problems(options)),
                held_out=tuple(self._names(options, options["held_out"])), engine=options["engine"],
                budget=options["budget"], workers=options["workers"], seed=options["seed"],
                population=options["population"], founders=tuple(_words(options["founders"])),
                cap=options["cap"], objective=options["objective"], rank_growth=options["rank_growth"],
                database=_database(options),
                llm=_llm_settings(options),
            )
        except (ValueError, FamilyError) as error:
            raise CommandError(str(error)) from None
        user = self._user(options["user"])  # before anything is written
        try:
            chosen = project_for_run(options["project"], user)
        except NoProject as refused:
            raise CommandError(str(refused)) from None
        if chosen.notice and options["verbosity"]:
            self.stderr.write(chosen.notice)
        return Controller.start(chosen.project, config, user=user, title=options["title"])

    def _problems(self, options) -> list[str]:
        from solver.family import load_family

        defaults = load_family(options["family"]).default_problems
        given = options["problem"] or ",".join(p.name for p in defaults)
        return self._names(options, given)

    def _names(self, options, given: str) -> list[str]:
        """The family's problems named, comma-separated; an unknown one is refused, listing the known ones."""
        from evolution.problems import problem_set
        from solver.family import load_family

        family = load_family(options["family"])
        names = _words(given)
        for name in names:
            family.problem(name)
        try:
            problem_set(options["family"], tuple(names), options["cap"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        return names

    def _resume(self, options) -> Controller:
        run = Run.objects.filter(pk=options["resume"]).first()
        if run is None:
            raise CommandError(f"no run {options['resume']}")
        if state_of(run).status == RunState.Status.FINISHED:
            raise CommandError(f"run {run.pk} has finished")
        try:
            controller = Controller.resume(run)  # takes the run first: refused while a live controller has it
        except ControllerAlive as alive:
            raise CommandError(str(alive)) from None
        if controller.took_over is not None:
            self.stderr.write(f"run {run.pk}: controller {controller.took_over.name} lost (heard from "
                              f"{controller.took_over.ago()}); taking over")
        return controller

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user


def _database(options) -> dict:
    """The program database settings given on the command line (the others keep their defaults)."""
    given = {"num_islands": options["islands"], "reset_period": options["reset_every"],
             "migration_period": options["migrate_every"]}
    return {name: value for name, value in given.items() if value is not None}


LLM_OPTIONS = [  # flag, type, LLMSettings field, help
    ("--model", str, "model", "model name (default: LLM_MODEL)"),
    ("--llm-base-url", str, "base_url", "OpenAI-compatible endpoint (default: LLM_BASE_URL, else OpenAI)"),
    ("--llm-style", str, "style", "chat (default) or completion"),
    ("--temperature", float, "temperature", "sampling temperature (default 1.0)"),
    ("--top-p", float, "top_p", "nucleus sampling"),
    ("--llm-max-tokens", int, "max_tokens", "tokens per completion (default 1024)"),
    ("--llm-seed", int, "seed", "seed sent with each request"),
    ("--samples", int, "samples", "completions per prompt (default 4, as FunSearch)"),
    ("--llm-parallel", int, "parallel", "calls of a prompt in flight at once (default 4; 1: in turn)"),
    ("--llm-ratio", float, "ratio", "mixed engine: share of steps given to the LLM (default 0.5)"),
]
LLM_CAPS = [  # as LLM_OPTIONS: what the run may spend on the LLM
    ("--max-llm-calls", int, "max_calls", "stop sampling after this many requests"),
    ("--max-tokens-budget", int, "max_tokens_budget", "stop sampling after this many tokens in + out"),
    ("--max-cost", float, "max_cost", "stop sampling after this cost (needs a priced model)"),
]


def _llm_settings(options) -> dict:
    """The LLM settings given, with model and endpoint from the environment written in, so that the run's
    record names the model that answered (resume uses these, not the environment of the day)."""
    from evolution.llm import budget, prices
    from evolution.llm.settings import LLMSettings

    given = {name: options[f"llm_{name}"] for _, _, name, _ in LLM_OPTIONS + LLM_CAPS
             if options.get(f"llm_{name}") is not None}
    if options["engine"] == "gp":
        return given
    settings = LLMSettings.from_dict(given).resolved()
    budget.require_price(settings, prices.load())
    return settings.to_dict()


def run_url(run_id: int) -> str:
    """The run's page, where the person who started it finds it (SEEDTRACE_BASE_URL: where the site is)."""
    return settings.SEEDTRACE_BASE_URL + reverse("pages:run", args=[run_id])


def _summary(progress: Progress) -> dict:
    return {
        "run": progress.run,
        "url": run_url(progress.run),
        "evaluations": progress.evaluations,
        "failures": progress.failures,
        "best_candidate": progress.best_candidate,
        "best_score": progress.best_score,
        "best_seeds": progress.best_seeds,
        "seconds": round(progress.seconds, 3),
    }


class _ProgressLine:
    """One line rewritten in place on a terminal; a line every few seconds elsewhere (logs, CI)."""

    def __init__(self, stream):
        self.stream, self.tty, self.last = stream, stream.isatty(), 0.0

    def __call__(self, p: Progress) -> None:
        if not self.tty and p.seconds - self.last < 5 and p.evaluations < p.budget:
            return
        self.last = p.seconds
        width = 24
        filled = int(width * p.evaluations / max(1, p.budget))
        best = "—" if p.best_score is None else f"{p.best_score:g}"
        seeds = "" if p.best_seeds is None else f" ({p.best_seeds} seeds)"
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {p.evaluations}/{p.budget} evaluated, "
                f"{p.failures} failed, {p.in_flight} in flight, best {best}{seeds}, {p.seconds:.0f} s")
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def _words(given: str) -> list[str]:
    """A comma-separated list, spaces and empty items dropped."""
    return [word.strip() for word in given.split(",") if word.strip()]

"""The run page's progress panel: the plots (the best so far, the Pareto front), the agents' table and the
cost, the parts of the page that read the whole run, and the objective that scores it. Rendered at most once
a second for a run that is running (its page is polled, by everyone who has it open, while evaluations land
many times a second), and once for an ended run; the status counts beside it are read fresh on every
request."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from evolution import objective
from provenance.costs import Spent, dollars
from web.pareto import run_front
from web.plot import pareto_plot, seeds_plots
from web.progress import REPLAY_KEPT, agent_table, progress

FRESH = 1.0  # seconds a running run's panel may lag behind its records


def run_panel(run, state, live: bool) -> dict:
    """{"html": the rendered panel, "cost": the cost so far as text}."""
    key = f"run-panel-2:{run.hash}:" + ("live" if live else f"{state.status}:{state.evaluations}:"
                                                             f"{state.candidates}:{state.llm_calls}")
    panel = cache.get(key)
    if panel is None:
        found, front = progress(run), run_front(run)
        html = render_to_string("pages/_run_progress.html", {
            "plots": seeds_plots(found), "agents": agent_table(run, found.improvements),
            "pareto": front and pareto_plot(front), "objective": objective.of_run(run).text,
        })
        panel = {"html": html, "cost": Spent.of_run(run).text(dollars)}
        cache.set(key, panel, timeout=FRESH if live else REPLAY_KEPT)
    return {"html": mark_safe(panel["html"]), "cost": panel["cost"]}  # noqa: S308  (our template's output)

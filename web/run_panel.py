"""The run page's progress panel: the plots (the best so far, the Pareto front), the agents' table and the
cost, the parts of the page that read the whole run, and the objective that scores it; the status counts
beside it are read fresh on every request.

A running run's page is polled, by everyone who has it open, while evaluations land many times a second:
its panel is rendered again at most every FRESH seconds, by one request while the others are served the
panel as it was (rendering under load takes a while, and every request that arrived meanwhile would
otherwise render it too). An ended run's panel is rendered once."""

import time

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from evolution import objective
from provenance.costs import Spent, dollars
from web.pareto import run_front
from web.plot import pareto_plot, seeds_plots
from web.progress import REPLAY_KEPT, agent_table, progress

FRESH = 5.0  # seconds a running run's panel may lag behind its records (the page polls every 3 s)
RENDERING = 30  # seconds one request may hold the right to render before another may take it


def run_panel(run, state, live: bool) -> dict:
    """{"html": the rendered panel, "cost": the cost so far as text}."""
    key = panel_key(run, state, live)
    panel = cache.get(key)
    if panel is None and not _take_turn(key):
        panel = _awaited(key)  # the first render of this panel is another request's: wait for it
    if panel is None or (live and time.time() - panel["at"] >= FRESH and _take_turn(key)):
        panel = _render(run)
        cache.set(key, panel, timeout=REPLAY_KEPT)
        cache.delete(f"{key}:rendering")
    return {"html": mark_safe(panel["html"]), "cost": panel["cost"]}  # noqa: S308  (our template's output)


def panel_key(run, state, live: bool) -> str:
    return f"run-panel-3:{run.hash}:" + ("live" if live else f"{state.status}:{state.evaluations}:"
                                                              f"{state.candidates}:{state.llm_calls}")


def _take_turn(key: str) -> bool:
    """Whether this request renders the panel (no other request is rendering it)."""
    return cache.add(f"{key}:rendering", 1, timeout=RENDERING)


def _awaited(key: str, patience: float = 5.0) -> dict | None:
    """The panel another request is rendering, once it is there (None after `patience` seconds)."""
    until = time.monotonic() + patience
    while time.monotonic() < until:
        time.sleep(0.05)
        panel = cache.get(key)
        if panel is not None:
            return panel
    return None


def _render(run) -> dict:
    found, front, scored_by = progress(run), run_front(run), objective.of_run(run)
    html = render_to_string("pages/_run_progress.html", {
        "plots": seeds_plots(found, objective.DEFAULT if scored_by.pareto else scored_by.text),
        "agents": agent_table(run, found.improvements), "pareto": front and pareto_plot(front),
        "objective": scored_by.text, "pareto_objective": scored_by.pareto,
        "rank_growth": scored_by.rank_growth,
    })
    return {"html": html, "cost": Spent.of_run(run).text(dollars), "at": time.time()}

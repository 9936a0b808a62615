"""A run written by the real engines, for the benches to measure: the controller in the embedded mode (no
broker: evaluations run in this process, one at a time), a mixed engine (FunSearch's defaults: half the
steps to the model, 4 samples per prompt) whose model is the test suite's OpenAI-protocol server, reached
through the product's own OpenAI client over HTTP. The model answers with rules of the seeding grammar,
varied so its candidates are not all re-discoveries."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.llm.server import OpenAIServer, Reply  # noqa: E402  (the suite's server, reused as is)

ANSWERS = [
    "    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t) + {k}\n",
    "    return seed.d <= {k} and seed.r <= seed.r_top + 1\n",
    "    return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t)) + {k}\n",
]


@dataclass(frozen=True)
class Served:
    base_url: str


@contextmanager
def model_server(latency: float = 0.0):
    """The OpenAI-protocol server, answering every request with the next rule after `latency` seconds (0: at
    once, which no hosted model does), in a process of its own as a model's server is: in the controller's
    process its threads would take turns with the controller's recording (Python runs one thread at a time),
    and the bench would charge the server's work to the records. A throwaway API key."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(latency, theirs), name="model server", daemon=True)
    process.start()
    saved = os.environ.get("LLM_API_KEY")
    os.environ["LLM_API_KEY"] = "sk-bench-not-a-real-key"
    try:
        yield Served(_address(ours, process))
    finally:
        ours.close()  # the server's cue to stop
        process.join(10)
        if process.is_alive():
            process.kill()
        if saved is None:
            del os.environ["LLM_API_KEY"]
        else:
            os.environ["LLM_API_KEY"] = saved


def _address(pipe, process, wait: float = 60.0) -> str:
    deadline = time.monotonic() + wait
    while not pipe.poll(0.1):
        if not process.is_alive():
            raise RuntimeError(f"the model server exited at start (exit code {process.exitcode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the model server did not start within {wait:g} s")
    return pipe.recv()


def _serve(latency: float, pipe) -> None:
    """The server's process: serve until the bench closes its end of the pipe."""
    counter = itertools.count()
    with OpenAIServer() as server:
        server.default = lambda request: Reply(text=_answer(next(counter)), delay=latency)
        pipe.send(server.base_url)
        try:
            pipe.recv()
        except EOFError:
            pass


def _answer(n: int) -> str:
    return ANSWERS[n % len(ANSWERS)].format(k=n // len(ANSWERS) % 4)


def mixed_config(server, budget: int, seed: int = 1, ratio: float = 0.5, samples: int = 4):
    from evolution.config import EvolutionConfig

    llm = dict(model="gpt-4o-mini", base_url=server.base_url, samples=samples, ratio=ratio, backoff=0.0,
               timeout=10.0)
    return EvolutionConfig(family="trianglebox", problems=("rank3",), engine="mixed", budget=budget,
                           seed=seed, llm=llm)


def evolve(project, user, config, title: str = "") -> tuple:
    """(run, seconds): the run started and evolved to its budget, as `evolve --workers 1` does it."""
    from evolution.controller import Controller

    started = time.perf_counter()
    controller = Controller.start(project, config, user=user, title=title)
    controller.evolve()
    return controller.run, time.perf_counter() - started

"""GP reads outside candidates back into its grammar in work linear in the program: a chain of `if`
statements is read once, not once per path through it (30 of them were 2^30 readings and hung a mixed run's
controller), and branching that would still multiply is refused with a reason. Work is counted as the
expressions the reader visits; an alarm keeps a regression from hanging the suite."""

import signal

import pytest

from evolution.controller import Controller
from evolution.gp import OutsideGrammar, parse, render
from evolution.gp import source as gp_source
from evolution.models import RunState
from provenance.models import Candidate, Edge
from tests.llm.conftest import api_key, llm_config, server  # noqa: F401 (fixtures)
from tests.llm.server import Reply

SIZES = [30, 60, 200]


def chain(n: int, branch: str) -> str:
    """`n` statements `if seed.t > k:` with `branch` under each, then `return seed.d == 0`."""
    lines = "".join(f"    if seed.t > {i % 5}:\n        {branch.format(k=i % 5, i=i)}\n" for i in range(n))
    return f"def keep(seed):\n{lines}    return seed.d == 0\n"


class TooMuchWork(Exception):
    """Not an OutsideGrammar: parse must not swallow it."""


@pytest.fixture
def reads(monkeypatch):
    """The number of expressions read so far; past 100,000 the reading is stopped (exponential)."""
    counter = {"expressions": 0}
    read = gp_source._Reader.expr

    def counting(self, node, names):
        counter["expressions"] += 1
        if counter["expressions"] > 100_000:
            raise TooMuchWork
        return read(self, node, names)

    monkeypatch.setattr(gp_source._Reader, "expr", counting)
    return counter


@pytest.fixture(autouse=True)
def alarm(request):
    seconds = 120 if "django_db" in request.keywords else 10  # a whole run, or one parse

    def hung(*_):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def outcome(source: str) -> str:
    try:
        return render(parse(source, limits=None))
    except OutsideGrammar as refused:
        return f"refused: {refused.reason}"


@pytest.mark.parametrize("n", SIZES)
def test_if_statements_that_pass_are_read_once_each(reads, n):
    assert outcome(chain(n, "pass")) == "def keep(seed):\n    return seed.d == 0\n"
    assert reads["expressions"] <= 5 * (n + 1)  # a test and the return: a few expressions each


@pytest.mark.parametrize("n", SIZES)
def test_guard_clauses_are_read_once_each_or_refused_as_too_large(reads, n):
    result = outcome(chain(n, "return seed.s <= {k}"))
    assert result.startswith("def keep(seed):") or "far too large" in result
    assert reads["expressions"] <= 10 * (n + 1)


@pytest.mark.parametrize("n", SIZES)
def test_branches_that_assign_are_refused_before_the_work_multiplies(reads, n):
    result = outcome(chain(n, "x{i} = {k}"))
    assert result.startswith("refused: ") and "branches too much to fold into one rule" in result
    assert reads["expressions"] <= gp_source._MAX_WORK


def test_a_few_branches_that_assign_still_read(reads):
    source = ("def keep(seed):\n    limit = seed.s_top\n    if seed.d > 0:\n        limit = seed.s_top - 1\n"
              "    if seed.t < seed.t_top:\n        limit = limit - 1\n    return seed.s <= limit\n")
    assert not outcome(source).startswith("refused")


@pytest.mark.django_db(transaction=True)
def test_a_mixed_run_breeds_from_a_completion_of_thirty_branches_and_finishes(
    server, api_key, project, alice  # noqa: F811
):
    body = chain(30, "pass").split("\n", 1)[1]  # what the model completes: the body under the header
    server.default = Reply(text=body.replace("return seed.d == 0", "return seed.d == 0 and seed.s <= 1"))
    config = llm_config(server, engine="mixed", budget=16, seed=1, llm={"ratio": 0.5, "samples": 1})
    controller = Controller.start(project, config, user=alice)
    controller.evolve()
    assert RunState.objects.get(run=controller.run).message == "budget reached"
    kinds = dict(Candidate.objects.filter(run=controller.run).values_list("pk", "activity"))
    edges = Edge.objects.filter(run=controller.run).values_list("parent_id", "child_id")
    assert any(kinds[parent] == "llm" and kinds[child].startswith("gp_") for parent, child in edges)

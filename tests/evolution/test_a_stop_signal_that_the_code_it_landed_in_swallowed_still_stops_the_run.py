"""A stop signal's exception can vanish in the code it lands in: a bare `except:` (mpmath under sympy)
swallows it, a database driver's callback turns it into an OperationalError that looks like an outage. The
stop is remembered all the same: the run stops, not failed and not finished, with the command that continues
it; the score computed across the swallowed signal is not recorded, and resume scores that candidate again.
(CI saw `evolve` exit 0 after a SIGTERM; here, once, an AssertionError out of mpmath's pslq.)"""

import signal

import pytest
from django.db import connection

from evolution import evaluation, stop_signals
from evolution.controller import Controller
from evolution.models import EvaluationJob, RunState
from evolution.stop_signals import Terminated
from provenance.models import Evaluation
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)
score_program = evaluation.score_program


def scored_once_across(signum: int, then=None):
    """A scoring function that, the first time, receives the signal where a bare `except:` swallows its
    exception, then scores for real (or does `then`); it notes the candidate it was scoring."""
    seen = []

    def score(source, *args, **kwargs):
        if seen:
            return score_program(source, *args, **kwargs)
        seen.append(source)
        try:
            signal.raise_signal(signum)
        except BaseException:  # noqa: BLE001 - what the third-party code did
            pass
        return then() if then else score_program(source, *args, **kwargs)
    return score, seen


def stopped_state(run):
    state = RunState.objects.get(run=run)
    return state.status, state.controller_token, state.message


def test_a_swallowed_sigterm_stops_the_run_and_its_score_is_not_recorded(project, alice, monkeypatch):
    controller = Controller.start(project, config(), user=alice)
    score, seen = scored_once_across(signal.SIGTERM)
    monkeypatch.setattr(evaluation, "score_program", score)
    with stop_signals.remembered(), pytest.raises(Terminated, match="stopped by SIGTERM"):
        controller.evolve()
    run = controller.run
    assert stopped_state(run) == ("stopped", None,
                                  f"stopped by SIGTERM; continue with `evolve --resume {run.pk}`")
    interrupted = run.candidates.get(source=seen[0])
    assert not Evaluation.objects.filter(candidate=interrupted).exists()
    assert EvaluationJob.objects.get(candidate=interrupted).status != EvaluationJob.Status.DONE

    Controller.resume(run).evolve()
    assert RunState.objects.get(run=run).status == "finished"
    assert Evaluation.objects.filter(candidate=interrupted).exists()


def test_a_swallowed_ctrl_c_that_leaves_a_later_error_stops_the_run_rather_than_failing_it(
        project, alice, monkeypatch):
    def broken_state():
        raise AssertionError  # as mpmath's pslq did once the signal's exception was swallowed inside it
    score, _ = scored_once_across(signal.SIGINT, then=broken_state)
    monkeypatch.setattr(evaluation, "score_program", score)
    controller = Controller.start(project, config(), user=alice)
    with stop_signals.remembered(), pytest.raises(KeyboardInterrupt) as raised:
        controller.evolve()
    assert isinstance(raised.value.__cause__, AssertionError)  # where it surfaced stays in the traceback
    run = controller.run
    assert stopped_state(run) == ("stopped", None, f"interrupted; continue with `evolve --resume {run.pk}`")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a Python function called back by SQLite")
def test_a_sigterm_turned_into_an_operational_error_by_a_driver_callback_is_no_outage(
        project, alice, monkeypatch):
    def in_a_callback():
        connection.ensure_connection()
        connection.connection.create_function("stop", 0, lambda: signal.raise_signal(signal.SIGTERM))
        with connection.cursor() as cursor:
            cursor.execute("SELECT stop()")  # sqlite3: "user-defined function raised exception"
    monkeypatch.setattr(evaluation, "score_program", lambda *a, **k: in_a_callback())
    controller = Controller.start(project, config(), user=alice)
    with stop_signals.remembered(), pytest.raises(Terminated) as raised:
        controller.evolve()
    assert "user-defined function raised exception" in str(raised.value.__cause__)
    assert stopped_state(controller.run)[0] == "stopped"


def test_the_handlers_are_put_back_and_nothing_stays_asked_once_the_block_ends():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with pytest.raises(Terminated), stop_signals.remembered():
        signal.raise_signal(signal.SIGTERM)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    assert stop_signals.asked() is None
    stop_signals.check()  # raises nothing

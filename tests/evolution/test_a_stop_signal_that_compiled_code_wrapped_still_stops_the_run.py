"""A stop signal (SIGTERM, Ctrl-C) whose exception was raised while compiled code had called back into Python
comes out of that code as another exception caused by it (numba's dispatcher: "SystemError: CPUDispatcher(…)
returned a result with an exception set"). The run is still stopped, not failed, with the command that
continues it, and the signal's exception is what the caller gets."""

import pytest

from evolution import evaluation
from evolution.controller import Controller
from evolution.models import RunState
from evolution.stop_signals import Terminated, behind
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)


def wrapped_by_compiled_code(*args, **kwargs):
    try:
        raise Terminated("stopped by SIGTERM")
    except Terminated as signal:
        raise SystemError("CPUDispatcher(<function unpack_in_order>) returned a result with an exception set"
                          ) from signal


def test_the_run_is_stopped_with_the_command_that_continues_it(project, alice, monkeypatch):
    controller = Controller.start(project, config(), user=alice)
    monkeypatch.setattr(evaluation, "score_program", wrapped_by_compiled_code)
    with pytest.raises(Terminated, match="stopped by SIGTERM") as raised:
        controller.evolve()
    assert isinstance(raised.value.__cause__, SystemError)  # where it came from stays in the traceback
    state = RunState.objects.get(run=controller.run)
    assert (state.status, state.controller_token) == ("stopped", None)
    assert state.message == f"stopped by SIGTERM; continue with `evolve --resume {controller.run.pk}`"


def test_an_error_with_no_signal_behind_it_is_not_an_interruption():
    try:
        try:
            raise ValueError("a bad rule")
        except ValueError as error:
            raise SystemError("wrapped") from error
    except SystemError as outer:
        assert behind(outer) is None


def test_a_signal_raised_while_another_error_was_handled_is_found_behind_it():
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("cleanup failed")  # noqa: B904 (the implicit context is the point)
    except RuntimeError as outer:
        assert isinstance(behind(outer), KeyboardInterrupt)

"""bench/records.py times the ledger calls of a real mixed run (the controller, the model on the local
OpenAI-protocol server) and charges them to the candidates they were for: every proposed candidate gets its
share of its step, its evaluation's record and its registration's, and the sandbox and solver time of the
evaluation, which runs inside the step's commit in the embedded mode, is never counted as recording."""

import sys
import time
from pathlib import Path

import pytest

from evolution import evaluation
from evolution.controller import Controller
from evolution.search_log import COPIES
from provenance.models import Candidate
from tests.llm.conftest import llm_config

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from recording_clock import RecordingClock, clocked, per_candidate  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)
SLOW = 0.3  # seconds each evaluation is made to take


def test_each_candidate_is_charged_its_recording_and_not_its_evaluation(server, project, alice, monkeypatch):
    score = evaluation.score_candidate
    monkeypatch.setattr(evaluation, "score_candidate", lambda *args: time.sleep(SLOW) or score(*args))
    config = llm_config(server, engine="mixed", budget=10, llm={"ratio": 0.5, "samples": 2})
    with clocked(RecordingClock()) as clock:
        started = time.perf_counter()
        Controller.start(project, config, user=alice).evolve()
        seconds = time.perf_counter() - started
    cost = per_candidate(clock)
    assert set(cost) == set(Candidate.objects.exclude(activity__in=COPIES).values_list("pk", flat=True))
    assert all(0 < charged < SLOW for charged in cost.values()), cost
    assert clock.total() < seconds - 10 * SLOW
    assert {"record_prompt", "record_llm_call", "record_candidate", "record_evaluation", "record_events"} \
        <= set(clock.calls)


def test_a_step_s_evaluations_written_together_are_charged_in_equal_shares():
    clock = RecordingClock()
    clock.made["step", 0] = [1, 2]
    clock.spent[("evaluations", (1, 2)), "ledger"] = 0.004
    clock.spent[("evaluations", (1, 2)), "transaction"] = 0.002
    clock.spent[("evaluations", (1, 2)), "work"] = 0.5  # scoring: not recording
    assert per_candidate(clock) == pytest.approx({1: 0.003, 2: 0.003})

"""An evaluation cut off by the task's soft time limit hands its claim back and the task tries again.

Without that, the job would stay `running` with its message acknowledged: nothing would ever finish it, and
the controller would wait for it for ever.
"""

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from evolution import evaluation
from evolution.models import EvaluationJob
from evolution.tasks import evaluate_candidate
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db


def test_the_claim_is_handed_back_and_the_retry_records_the_evaluation(human_candidate, monkeypatch):
    candidate = human_candidate(KIRA3)
    real, seen = evaluation.score_program, []

    def cut_off_the_first_time(*args, **kwargs):
        seen.append(EvaluationJob.objects.values_list("status", "attempts").get(pk=candidate.pk))
        if len(seen) == 1:
            raise SoftTimeLimitExceeded()
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluation, "score_program", cut_off_the_first_time)
    result = evaluate_candidate.apply(args=[candidate.pk], throw=False)  # in process: retries at once
    assert result.result == "done"
    # The retry found the job queued again, not "busy" under the first claim until its lease ran out.
    assert seen == [("running", 1), ("running", 2)]
    job = EvaluationJob.objects.get(pk=candidate.pk)
    assert (job.status, job.attempts) == ("done", 2)
    assert candidate.evaluations.count() == 1


def test_a_cut_off_claim_that_was_taken_over_is_left_alone(human_candidate):
    candidate = human_candidate(KIRA3)
    token = evaluation.claim(candidate.pk, "worker-a")
    EvaluationJob.objects.filter(pk=candidate.pk).update(token="worker-b-took-it-over")
    assert evaluation.release(candidate.pk, token) is False
    assert EvaluationJob.objects.get(pk=candidate.pk).status == "running"

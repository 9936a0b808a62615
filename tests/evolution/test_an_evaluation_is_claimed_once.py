"""The evaluation job is claimed before the work: a second delivery records nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evolution.evaluation import claim, evaluate_candidate
from evolution.models import EvaluationJob
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db


def test_a_second_delivery_finds_the_job_finished(human_candidate):
    candidate = human_candidate(KIRA3)
    assert evaluate_candidate(candidate.pk).state == "done"
    assert evaluate_candidate(candidate.pk).state == "finished"
    assert candidate.evaluations.count() == 1
    assert EvaluationJob.objects.get(pk=candidate.pk).attempts == 1


def test_a_fresh_claim_held_by_another_worker_is_busy_until_its_lease_ends(human_candidate, settings):
    candidate = human_candidate(KIRA3)
    assert claim(candidate.pk, "worker-a") is not None
    attempt = evaluate_candidate(candidate.pk, "worker-b")
    assert attempt.state == "busy" and 0 < attempt.retry_in <= settings.SEEDTRACE_EVALUATION_LEASE
    assert candidate.evaluations.count() == 0


def test_a_claim_older_than_the_lease_is_taken_over(human_candidate, settings):
    candidate = human_candidate(KIRA3)
    claim(candidate.pk, "worker-that-died")
    stale = timezone.now() - timedelta(seconds=settings.SEEDTRACE_EVALUATION_LEASE + 1)
    EvaluationJob.objects.filter(pk=candidate.pk).update(claimed_at=stale)
    assert evaluate_candidate(candidate.pk, "worker-b").state == "done"
    job = EvaluationJob.objects.get(pk=candidate.pk)
    assert (job.worker, job.attempts, job.status) == ("worker-b", 2, "done")
    assert candidate.evaluations.count() == 1


def test_a_worker_whose_claim_was_taken_over_records_nothing(human_candidate, monkeypatch):
    from evolution import evaluation

    candidate = human_candidate(KIRA3)
    real = evaluation.score_program

    def slow_then_overtaken(*args, **kwargs):
        verdicts = real(*args, **kwargs)
        EvaluationJob.objects.filter(pk=candidate.pk).update(token="someone-else")  # the lease ran out
        return verdicts

    monkeypatch.setattr(evaluation, "score_program", slow_then_overtaken)
    assert evaluate_candidate(candidate.pk).state == "finished"
    assert candidate.evaluations.count() == 0

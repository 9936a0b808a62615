"""The answers of requests in flight together are handed over together when they are back together (so the
engine records them in one write), each as soon as the caller is free to take it; the order of waiting
attempts, retries first, is kept; a request that raises is raised once the answers beside it are taken."""

import threading
import time

import pytest

from evolution.llm.in_flight import Attempt, send_all


def test_answers_that_arrive_while_one_is_taken_are_taken_together():
    released = threading.Event()

    def send(attempt):
        if attempt.sample:
            released.wait(5)
        return attempt.sample

    taken = []

    def take(arrived):
        taken.append(sorted(answer for _, answer in arrived))
        released.set()
        time.sleep(0.3)  # the others come back meanwhile
        return []

    send_all([Attempt(n) for n in range(4)], 4, send, take, lambda flying: True)
    assert taken == [[0], [1, 2, 3]]


def test_one_at_a_time_a_sample_s_retries_go_out_before_the_next_sample():
    sent = []

    def take(arrived):
        ((attempt, _),) = arrived
        return [Attempt(attempt.sample, attempt.number + 1)] if attempt.number < 3 else []

    send_all([Attempt(0), Attempt(1)], 1, lambda a: sent.append((a.sample, a.number)), take, lambda n: True)
    assert sent == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3)]


def test_once_nothing_may_be_sent_the_waiting_attempts_are_dropped():
    sent = []
    send_all([Attempt(n) for n in range(5)], 2, lambda a: sent.append(a.sample), lambda arrived: [],
             lambda flying: len(sent) + flying < 3)
    assert sorted(sent) == [0, 1, 2]


def test_a_failing_request_is_raised_after_the_answers_beside_it_are_taken():
    released, taken = threading.Event(), []

    def send(attempt):
        if attempt.sample == 2:
            return 2
        released.wait(5)
        if attempt.sample == 1:
            raise RuntimeError("the client broke")
        return 0

    def take(arrived):
        taken.append(sorted(answer for _, answer in arrived))
        released.set()
        time.sleep(0.3)  # samples 0 and 1 come back meanwhile, together
        return []

    with pytest.raises(RuntimeError, match="the client broke"):
        send_all([Attempt(n) for n in range(3)], 3, send, take, lambda flying: True)
    assert taken == [[2], [0]]

"""A step's samples asked for together: up to `width` requests in flight, each in a thread of its own, and
each answer handled as it comes back, in the calling thread (which alone touches the database).

Hosted models take seconds per answer, so asking for a prompt's samples one after another makes a step last
`samples` times as long as it needs to; FunSearch's samplers run concurrently for the same reason. With
width 1 the attempts go out in the order they would one after another: a sample's retries before the next
sample.

The threads are daemons and touch nothing shared but the queue of answers: a controller stopped (Ctrl-C,
SIGTERM) while calls are in flight exits without waiting for them (their answers are lost, as they are when
one call in flight is cut off; what was recorded stays)."""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attempt:
    sample: int
    number: int = 1  # 1: the first call; then its retries
    delay: float = 0.0  # seconds to wait before sending (a retry's back-off)


def send_all(first: list[Attempt], width: int, send: Callable[[Attempt], Any],
             take: Callable[[list[tuple[Attempt, Any]]], list[Attempt]], may_send: Callable[[int], bool]
             ) -> None:
    """Send `first` (at most `width` at once), calling `take` with the answers as they arrive: each time,
    every answer already back (in the order they came), so that answers arriving together are handled
    together. The attempts `take` returns (retries) go out next. `may_send(in_flight)` is asked before each
    request: while it says no, nothing is sent (the answers of the requests already out are still taken),
    and once it says no with nothing in flight, the attempts still waiting are dropped."""
    waiting, answers, flying = deque(first), queue.SimpleQueue(), 0
    while True:
        while waiting and flying < width and may_send(flying):
            _start(waiting.popleft(), send, answers)
            flying += 1
        if not flying:
            return
        arrived = [answers.get()]
        while not answers.empty():
            arrived.append(answers.get())
        flying -= len(arrived)
        answered = [(attempt, answer) for attempt, answer, error in arrived if error is None]
        if answered:
            waiting.extendleft(reversed(take(answered)))
        for _, _, error in arrived:
            if error is not None:  # after the answers that came with it are taken: they are paid for
                raise error


def _start(attempt: Attempt, send, answers: queue.SimpleQueue) -> None:
    def go():
        try:
            answers.put((attempt, send(attempt), None))
        except BaseException as error:  # the caller raises it: a thread's failure must not hang the step
            answers.put((attempt, None, error))

    threading.Thread(target=go, name=f"llm sample {attempt.sample}", daemon=True).start()

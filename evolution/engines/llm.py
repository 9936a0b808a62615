"""A language model as an engine, as FunSearch samples it: one prompt from the step's parents, `samples`
calls with it, one candidate per usable completion.

Every attempt is recorded as an LLMCall, failed or not, and retried with capped exponential back-off (a 429's
Retry-After honoured); the step goes on with the next sample. A completion whose program cannot be extracted
is still a candidate (its source is the header and the completion as written; the sandbox refuses it with
the reason), so the lineage shows what the model made of its parents. A sample whose every attempt failed
produces no candidate: there is nothing to evaluate, and its failed calls are on the record.

The engine stops proposing (`stopped` says why) when a budget cap is reached, when the endpoint rejects a
request outright (401, 404, …), or after `give_up_after` steps in a row without a usable completion.

Calls take seconds: the controller asks for them outside its record transaction, so evaluations finishing
meanwhile are not held up; a step's calls are in flight together (up to `parallel` at once), and the prompt
and each call are recorded as they return.

Model output and parents are untrusted text, and none of it may end the run: a parent whose program cannot
be read is shown as written or left out of the prompt (each call's params.notes says which, and its slots
and edges are those of the programs shown), and a completion that cannot be read (too large, nested too
deep, …) is a candidate whose extraction says why (the evaluation then fails with that reason).
"""

from __future__ import annotations

import os
import time
import tokenize

from evolution.engines.base import Proposal, Step
from evolution.engines.gp import GPEngine
from evolution.llm import faults, in_flight, parse, prompt
from evolution.llm.budget import Usage, require_price
from evolution.llm.client import Client, Exchange
from evolution.llm.settings import LLMSettings
from evolution.search_log import COPIES
from provenance import ledger
from provenance.models import Activity, Agent, Candidate, Edge, LLMCall, Run


class LLMEngine:
    name = "llm"

    def __init__(self, settings: LLMSettings, run: Run | None = None, *, founders: GPEngine | None = None,
                 template: prompt.PromptTemplate | None = None, environ=os.environ, sleep=time.sleep):
        self.settings = settings.resolved(environ)
        self.client = Client(self.settings, environ=environ)
        require_price(self.settings, self.client.prices)
        self.template = template or prompt.PromptTemplate.load()
        self.founders = founders or GPEngine()
        self.sleep = sleep
        self.usage = Usage.of_run(run) if run is not None else Usage()
        self.budget = run.config.get("budget") if run is not None else None
        self.stopped = self.usage.exhausted(self.settings)
        self.fruitless_steps = 0
        self._agent: Agent | None = None

    @property
    def notice(self) -> str:
        return self.stopped

    def propose(self, step: Step) -> list[Proposal]:
        if self.stopped or not step.parents:
            return []
        shown = [(candidate, *prompt.shown(candidate.source)) for candidate in step.parents]
        notes = [f"candidate {candidate.pk} {note}" for candidate, _, note in shown if note]
        shown = [(candidate, function) for candidate, function, _ in shown if function is not None]
        proposals = self._samples(step, shown, notes) if shown else []  # none shown: nothing to ask
        self.fruitless_steps = 0 if proposals else self.fruitless_steps + 1
        if self.fruitless_steps >= self.settings.give_up_after and not self.stopped:
            self.stopped = (f"LLM sampling stopped: {self.fruitless_steps} steps in a row without a usable "
                            "completion (see the run's failed LLM calls)")
        return proposals

    def _samples(self, step: Step, shown: list[tuple[Candidate, prompt.Function]], notes: list[str]
                 ) -> list[Proposal]:
        """The step's prompt showing `shown` (parents and their functions), and a proposal per completion,
        in the order of the samples (not of the answers: a rerun's candidates come in the same order)."""
        text, header = prompt.layout(self.template, [function for _, function in shown])
        record = PromptOnRecord(step.run, self.template, text, [candidate for candidate, _ in shown])
        parents = roles([candidate for candidate, _ in shown])
        answered = self._ask(record, text, notes, min(self.settings.samples, self._room(step)))
        proposals = []
        for sample, (call, exchange) in sorted(answered.items()):
            extraction = self._extract(exchange.text, header)
            proposals.append(Proposal(extraction.program, call.agent, Activity.LLM, parents,
                                      params={"sample": sample, "extraction": extraction.as_record()},
                                      llm_call=call))
        return proposals

    def starting_population(self, run: Run, size: int, rng) -> list[Proposal]:
        # Programs for the model to improve on: the Laporta rule and random grammar programs, as GP starts.
        return self.founders.starting_population(run, size, rng)

    def agent(self) -> Agent:
        if self._agent is None:
            s = self.settings
            self._agent = ledger.model_agent(s.provider, s.model, params=s.sampling())
        return self._agent

    def _extract(self, completion: str, header: prompt.Function) -> parse.Extraction:
        """The completion's program; a failure of a parser that extract does not foresee is a refusal too."""
        try:
            return parse.extract(completion, header, self.settings.style)
        except (SyntaxError, ValueError, RecursionError, MemoryError, tokenize.TokenError) as error:
            signature = f"def {prompt.FUNCTION}({header.args})"
            return parse.refused(signature, completion,
                                 f"the completion cannot be read as a program ({type(error).__name__})")

    def _ask(self, record: PromptOnRecord, text: str, notes: list[str], samples: int
             ) -> dict[int, tuple[LLMCall, Exchange]]:
        """Each sample's completion, by sample; a sample whose every attempt failed has none. Up to
        `parallel` calls are in flight at once (evolution.llm.in_flight); each attempt is recorded as it
        returns (those back together, in one write), and one that failed is retried up to max_attempts
        times."""
        answered: dict[int, tuple[LLMCall, Exchange]] = {}

        def send(attempt: in_flight.Attempt) -> Exchange:
            if attempt.delay:
                self.sleep(attempt.delay)
            return self.client.call(text, attempt.number)

        def take(arrived: list[tuple[in_flight.Attempt, Exchange]]) -> list[in_flight.Attempt]:
            calls = record.calls(self.agent(), [self._fields(exchange, notes) for _, exchange in arrived])
            retries = []
            for (attempt, exchange), call in zip(arrived, calls, strict=True):
                self.usage.add(call)
                if not exchange.fault:
                    answered[attempt.sample] = call, exchange
                elif not faults.retryable(exchange.fault):
                    self.stopped = f"LLM sampling stopped: the endpoint rejected the request ({call.error})"
                elif attempt.number < self.settings.max_attempts:
                    delay = self._delay(attempt.number, exchange.retry_after)
                    retries.append(in_flight.Attempt(attempt.sample, attempt.number + 1, delay))
            return retries

        first = [in_flight.Attempt(sample) for sample in range(samples)]
        in_flight.send_all(first, self.settings.parallel, send, take, self._may_send)
        return answered

    @staticmethod
    def _fields(exchange: Exchange, notes: list[str]) -> dict:
        """The call's record, `notes` (how the prompt showed its parents) and the client's in its params."""
        fields = exchange.fields
        if notes or exchange.notes:
            fields["params"] = {**fields["params"], "notes": [*notes, *exchange.notes]}
        return fields

    def _may_send(self, flying: int) -> bool:
        self.stopped = self.stopped or self.usage.exhausted(self.settings)
        return not self.stopped and self.usage.allows(self.settings, flying)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.settings.max_retry_after)
        return faults.backoff(attempt, self.settings.backoff, self.settings.backoff_cap)

    def _room(self, step: Step) -> int:
        """Candidates the run's budget still has room for: no calls for completions that would be dropped."""
        if step.room is not None:  # the controller's count: no query each step
            return step.room
        if self.budget is None:
            return self.settings.samples
        # Copies of programs the database moved (evolution.search_log) are not proposals.
        proposed = Candidate.objects.filter(run=step.run).exclude(activity__in=COPIES)
        return max(0, self.budget - proposed.count())


class PromptOnRecord:
    """A step's prompt, recorded with its first calls (one transaction, one statement, for all): a prompt
    goes on the record once it is sent; each call is recorded as soon as it returns, so that a controller
    that dies later loses no call it paid for."""

    def __init__(self, run: Run, template, text: str, slots: list[Candidate]):
        self.run, self.template, self.text, self.slots = run, template, text, slots
        self.prompt = None

    def calls(self, agent, answers: list[dict]) -> list[LLMCall]:
        """The calls of `answers` (their record's fields), in one write: with the prompt, the first time."""
        with ledger.batch(self.run, alone=True):
            if self.prompt is None:
                self.prompt = ledger.record_prompt(
                    self.run, template_name=self.template.name, template_version=self.template.version,
                    text=self.text, slots=self.slots)
            return [ledger.record_llm_call(self.run, agent=agent, prompt=self.prompt, **fields)
                    for fields in answers]


def roles(shown: list[Candidate]) -> list[tuple[Candidate, str, str]]:
    """The edges of a prompt's programs, by slot: the model is asked for an improved version of the last
    one shown (the best, FunSearch's order), its parent; the others are there to inspire it."""
    last = len(shown) - 1
    return [(candidate, Edge.Role.PARENT if i == last else Edge.Role.INSPIRATION, f"v{i}")
            for i, candidate in enumerate(shown)]

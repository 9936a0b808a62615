"""A run's spending on its model and its caps: calls (every HTTP request, failed ones too), tokens in and out,
cost. Counted from the run's LLMCall records, so a resumed run goes on from what was really spent."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce

from evolution.llm.settings import LLMSettings
from provenance import costs
from provenance.models import LLMCall, Run


@dataclass
class Usage:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = Decimal(0)  # of the calls whose cost is known
    unknown_cost: int = 0  # calls that used tokens at a price the table does not know
    largest_tokens: int = 0  # in + out, of the run's largest call: what a call in flight may still spend
    largest_cost: Decimal = Decimal(0)

    @classmethod
    def of_run(cls, run: Run) -> Usage:
        spent = LLMCall.objects.filter(run=run).aggregate(
            n=Count("id"), tokens_in=Sum("usage_input_tokens"), tokens_out=Sum("usage_output_tokens"),
            known=Sum("cost"), unknown=Count("id", filter=costs.UNKNOWN),
            largest=Max(Coalesce("usage_input_tokens", 0) + Coalesce("usage_output_tokens", 0)),
            dearest=Max("cost"))
        return cls(spent["n"], spent["tokens_in"] or 0, spent["tokens_out"] or 0,
                   spent["known"] or Decimal(0), spent["unknown"], spent["largest"] or 0,
                   spent["dearest"] or Decimal(0))

    def add(self, call: LLMCall) -> None:
        self.calls += 1
        self.input_tokens += call.usage_input_tokens or 0
        self.output_tokens += call.usage_output_tokens or 0
        self.largest_tokens = max(self.largest_tokens,
                                  (call.usage_input_tokens or 0) + (call.usage_output_tokens or 0))
        if call.cost is not None:
            self.cost += call.cost
            self.largest_cost = max(self.largest_cost, call.cost)
        elif costs.unknown(call):
            self.unknown_cost += 1

    def counters(self) -> dict:
        """RunState's LLM columns."""
        return {"llm_calls": self.calls, "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens, "cost": self.cost}

    def exhausted(self, settings: LLMSettings) -> str:
        """Why no further call may be made, or "" while the caps allow one."""
        if settings.max_calls is not None and self.calls >= settings.max_calls:
            return f"LLM call cap reached ({self.calls} of {settings.max_calls} calls)"
        tokens = self.input_tokens + self.output_tokens
        if settings.max_tokens_budget is not None and tokens >= settings.max_tokens_budget:
            return f"LLM token cap reached ({tokens} of {settings.max_tokens_budget} tokens)"
        if settings.max_cost is not None and self.cost >= Decimal(str(settings.max_cost)):
            return f"LLM cost cap reached ({self.cost.normalize():f} of {Decimal(str(settings.max_cost)):f})"
        return ""

    def allows(self, settings: LLMSettings, in_flight: int) -> bool:
        """Whether one more call may go out while `in_flight` calls are unanswered: the caps are kept as if
        each of those had already spent as much as the run's largest call. Until a call has spent tokens
        (or cost), a token (or cost) cap lets no second call go out beside the first: nothing says yet
        what one spends. With nothing in flight this is `not exhausted`, as one call at a time has it."""
        if self.exhausted(settings):
            return False
        if in_flight == 0:
            return True
        if settings.max_tokens_budget is not None and not self.largest_tokens:
            return False
        if settings.max_cost is not None and not self.largest_cost:
            return False
        projected = dataclasses.replace(self, calls=self.calls + in_flight,
                                        input_tokens=self.input_tokens + in_flight * self.largest_tokens,
                                        cost=self.cost + in_flight * self.largest_cost)
        return not projected.exhausted(settings)


def require_price(settings: LLMSettings, table) -> None:
    """A cost cap is only kept where the table prices the model: refuse it before the run starts otherwise."""
    if settings.max_cost is not None and table.price_of(settings.model) is None:
        raise ValueError(f"cannot keep to a cost cap: the price table prices-{table.version} has no price "
                         f"for {settings.model!r}")

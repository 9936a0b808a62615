"""What model calls cost, summed without pretending: a call whose model no price table names has an unknown
cost, and a sum with an unknown part says so, rather than counting that part as nothing.

A call's cost is unknown when it has none recorded yet used tokens or answered; a failure that got no answer
and used no tokens cost nothing. The same rule counts unknown calls for the budget caps
(evolution.llm.budget), the pages and every export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from provenance.models import LLMCall, Run

USED = Q(usage_input_tokens__gt=0) | Q(usage_output_tokens__gt=0) | ~Q(response_text="")
UNKNOWN = Q(cost__isnull=True) & USED


def unknown(call: LLMCall) -> bool:
    """The call cost something, but what is not known (see UNKNOWN, the same rule as a query)."""
    used = call.usage_input_tokens or call.usage_output_tokens or call.response_text
    return call.cost is None and bool(used)


def dollars(amount: Decimal) -> str:
    """As the pages show money: the price tables are in US dollars."""
    return f"${amount:.4f}"


PLACES = Decimal("1e-8")  # LLMCall.cost's


@dataclass(frozen=True)
class Spent:
    known: Decimal = Decimal(0)  # the sum of the costs that are known
    priced: int = 0  # calls whose cost is known
    unknown: int = 0  # calls whose cost is not

    def __post_init__(self) -> None:
        # To the places a call's cost has: SQLite sums decimals as floats and says 0.000108000000000000.
        object.__setattr__(self, "known", Decimal(self.known).quantize(PLACES))

    @classmethod
    def of_calls(cls, calls: Iterable[LLMCall]) -> Spent:
        calls = list(calls)
        costs = [call.cost for call in calls if call.cost is not None]
        return cls(sum(costs, Decimal(0)), len(costs), sum(1 for call in calls if unknown(call)))

    @classmethod
    def of_run(cls, run: Run) -> Spent:
        return cls.of_runs([run.pk])[run.pk]

    @classmethod
    def of_runs(cls, run_ids: Iterable[int]) -> dict[int, Spent]:
        """Each run's spending, in one query."""
        run_ids = list(run_ids)
        rows = LLMCall.objects.filter(run__in=run_ids).values("run").annotate(
            known=Sum("cost"), priced=Count("id", filter=Q(cost__isnull=False)),
            unknown=Count("id", filter=UNKNOWN))
        spent = {row["run"]: cls(row["known"] or Decimal(0), row["priced"], row["unknown"]) for row in rows}
        return {pk: spent.get(pk, cls()) for pk in run_ids}

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    def text(self, money: Callable[[Decimal], str] = "{:f}".format) -> str:
        """"$0.0123"; "at least $0.0123 (3 calls of unknown cost)" when some are unknown; "unknown (3 calls
        of unknown cost)" when none is known."""
        if self.complete:
            return money(self.known)
        calls = f"{self.unknown} call{'' if self.unknown == 1 else 's'} of unknown cost"
        return f"unknown ({calls})" if not self.priced else f"at least {money(self.known)} ({calls})"

"""The one number a rule is ranked by: the sum of its per-problem scores (its signature).

Our problems are several targets of one family and the goal is the fewest seeds over all of them, so no
problem is "the last input" that FunSearch would rank by. The run's best (evolution.tally), the program
database's clusters and the pages' progress all rank by this; no imports, so the program database stays
pure Python.
"""


def headline(signature: tuple[float, ...]) -> float:
    return float(sum(signature))

"""A one-loop triangle written as a family file: the small family of the tests of family parsing."""

TEMPLATE = """
name = "tri"
loop_momenta = ["{k}"]
external_momenta = ["{p1}", "p2"]
invariants = ["{m1}", "m2", "m3"]
propagators = ["{k}^2", "({k}+{p1})^2", "({k}+{p1}+p2)^2"]
[scalar_products]
"{p1}^2" = "{m1}"
"p2^2" = "m2"
"{p1}*p2" = "(m3 - {m1} - m2)/2"
"""


def triangle(k: str = "k", p1: str = "p1", m1: str = "m1") -> str:
    """The family file, with its loop momentum, first external momentum and first invariant named as given."""
    return TEMPLATE.format(k=k, p1=p1, m1=m1)

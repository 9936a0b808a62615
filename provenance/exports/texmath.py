"""Math a person wrote between dollars in a note, passed to LaTeX only when every piece of it is known safe.

A note is untrusted, and math mode is still TeX: `$\\input{/etc/passwd}$`, `$\\catcode…$` or `$^^5cinput$`
(TeX reads ^^5c as a backslash) would run. So the math is read as a sequence of allowed tokens — letters,
digits, operators, balanced braces, and commands from a fixed list — and anything else makes the whole span
plain escaped text (provenance.exports.tex.escape), shown with its dollars.
"""

import re

# Commands that only typeset symbols or build formulas; none reads a file, writes, or changes how TeX reads.
COMMANDS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho
    sigma
    tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    le leq ge geq ne neq approx sim simeq equiv propto cdot times div pm mp to mapsto rightarrow leftarrow
    Rightarrow Leftrightarrow in notin subset subseteq supset cup cap setminus emptyset forall exists neg
    land lor wedge vee infty partial nabla sum prod int oint lim max min sup inf log ln exp sin cos tan
    frac dfrac tfrac sqrt binom over left right big Big bigl bigr langle rangle lfloor rfloor lceil rceil
    ldots cdots dots vdots mathbb mathrm mathbf mathit mathcal text hat bar tilde vec dot ddot overline
    underline quad qquad ell hbar prime mid vert Vert""".split()
)
TOKEN = re.compile(r"\\([A-Za-z]+)|\\([,;:! {}|])|([A-Za-z0-9 +\-*/=<>()\[\].,;:!'|]+)|([{}^_])|(.)", re.S)
MAX_MATH = 500  # characters; a note is prose with some formulas, not a document


def math(text: str) -> str | None:
    """`text` (between the dollars) as LaTeX math mode content, or None when it is not known to be safe."""
    if len(text) > MAX_MATH or "^^" in text or not text.strip():
        return None
    depth = 0
    for match in TOKEN.finditer(text):
        command, _symbol, _plain, group, other = match.groups()
        if other is not None or (command is not None and command not in COMMANDS):
            return None
        depth += {"{": 1, "}": -1}.get(group, 0)
        if depth < 0:
            return None
    return text if depth == 0 else None

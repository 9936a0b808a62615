"""Untrusted text into LaTeX: one escape function for running text, Pygments for code and raw text.

Everything a person or a model wrote is escaped here and nowhere else. pdflatex reads 7-bit input safely, so
anything outside printable ASCII (controls, bidi overrides, emoji, CJK) comes out as a visible <U+XXXX> — the
JSONL archive has the exact text. Pygments' LaTeX formatter runs with texcomments, mathescape and escapeinside
off: each of them passes raw LaTeX through.
"""

import re

from pygments import highlight
from pygments.formatters import LatexFormatter
from pygments.lexers import get_lexer_by_name

SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "`": r"\textasciigrave{}",
    "'": r"\textquotesingle{}",
    "-": "-{}",
    "\n": " ",
    "\t": " ",
}
SPECIAL_OR_FOREIGN = re.compile(r"[\\{}$&#%_^~<>|\"`'\-\n\t]|[^ -~]")
FOREIGN = re.compile(r"[^ -~\n]")
MAX_BLOCK = 200_000  # characters highlighted per block; Pygments lexers have had slow paths on huge input
# A verbatim line never breaks: one 60,000-character line of model output ran off the page and past
# pdflatex's input buffer once highlighted. Longer lines are wrapped, each continuation marked.
WIDTH = 100
CONTINUED = ">> "

FORMATTER = LatexFormatter(texcomments=False, mathescape=False, escapeinside="", commandprefix="PY")


def escape(text) -> str:
    """Any string as inert LaTeX running text (newlines and tabs become spaces)."""
    return SPECIAL_OR_FOREIGN.sub(_replace, str(text))


def _replace(match: re.Match) -> str:
    char = match.group()
    return SPECIALS.get(char) or rf"\textless{{}}U+{ord(char):04X}\textgreater{{}}"


def ascii_text(text: str) -> str:
    """Text for a verbatim block: tabs expanded, everything outside printable ASCII shown as <U+XXXX>."""
    return FOREIGN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text.expandtabs(4))


def code(text: str, language: str = "text") -> str:
    """A Pygments-highlighted Verbatim block of untrusted text (language: a Pygments lexer name)."""
    notes = []
    if len(text) > MAX_BLOCK:
        text = text[:MAX_BLOCK]
        notes.append(f"cut at {MAX_BLOCK} characters")
    text, wrapped = wrap(ascii_text(text))
    if wrapped:
        notes.append(f"{wrapped} line(s) longer than {WIDTH} characters wrapped, continuations marked "
                     f"{CONTINUED.strip()}")
    block = highlight(text, get_lexer_by_name(language), FORMATTER)
    if notes:
        block += f"\n\\emph{{({escape('; '.join(notes))}; the JSONL archive has the exact text)}}\n"
    return block


def wrap(text: str) -> tuple[str, int]:
    """(text with every line cut to WIDTH characters, how many lines were cut)."""
    lines, wrapped = [], 0
    for line in text.split("\n"):
        if len(line) <= WIDTH:
            lines.append(line)
            continue
        wrapped += 1
        step = WIDTH - len(CONTINUED)
        lines.append(line[:WIDTH])
        lines.extend(CONTINUED + line[i:i + step] for i in range(WIDTH, len(line), step))
    return "\n".join(lines), wrapped


def style_definitions() -> str:
    return FORMATTER.get_style_defs()

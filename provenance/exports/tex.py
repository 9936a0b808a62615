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
# A verbatim line never breaks, and fancyvrb lets it run off the page without an "Overfull" warning: one
# 60,000-character line of model output ran past pdflatex's input buffer once highlighted. Lines are cut to
# WIDTH, each continuation marked. 96 Courier characters at \footnotesize (4.8 pt each) fill 461 pt, inside
# the supplement's 483 pt text width (A4, 2 cm margins); tests/exports check that it fits.
WIDTH = 96
CONTINUED = ">> "
CODE_SIZE = r"\footnotesize"
TT_CHUNK = 8  # a monospaced string may break after every this many characters (hashes have no spaces)

FORMATTER = LatexFormatter(
    texcomments=False,
    mathescape=False,
    escapeinside="",
    commandprefix="PY",
    verboptions=f"fontsize={CODE_SIZE}",
)


def escape(text) -> str:
    """Any string as inert LaTeX running text (newlines and tabs become spaces)."""
    return SPECIAL_OR_FOREIGN.sub(_replace, str(text))


def tt(text) -> str:
    """A string in a monospaced font that may break every TT_CHUNK characters: a SHA-256 is 64 characters
    without a space, wider than a line in running text. The break is invisible; the digits stay in order."""
    text = str(text)
    chunks = [text[i : i + TT_CHUNK] for i in range(0, len(text), TT_CHUNK)]
    return r"\texttt{" + r"\allowbreak{}".join(escape(chunk) for chunk in chunks) + "}"


# \sthash{<hex>}: a hash in a monospaced font that may break after any digit, written whole in the source so
# that searching the .tex for a hash finds it. Only for hex digits (tex.hexhash checks): each is one token.
HASH_MACRO = r"""\makeatletter
\def\sthash#1{\texttt{\st@hash#1\relax}}
\def\st@hash#1{\ifx#1\relax\else#1\allowbreak\expandafter\st@hash\fi}
\makeatother
"""
HEX = re.compile(r"[0-9a-f]+")


def hexhash(text) -> str:
    """A hash for a document whose preamble has HASH_MACRO; anything not hex goes through tt."""
    text = str(text)
    return rf"\sthash{{{text}}}" if HEX.fullmatch(text) else tt(text)


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
    """(text with every line cut to WIDTH characters, how many lines were cut). A line is cut after its last
    space in the second half of the width where it has one, so code breaks between tokens where it can."""
    lines, wrapped = [], 0
    for line in text.split("\n"):
        if len(line) <= WIDTH:
            lines.append(line)
            continue
        wrapped += 1
        width = WIDTH
        while len(line) > width:
            cut = line.rfind(" ", width // 2, width) + 1 or width
            lines.append(line[:cut])
            line, width = CONTINUED + line[cut:], WIDTH
        lines.append(line)
    return "\n".join(lines), wrapped


def style_definitions() -> str:
    return FORMATTER.get_style_defs()

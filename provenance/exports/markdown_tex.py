"""A note's Markdown as LaTeX: paragraphs, emphasis, inline code, lists, headings, links, code blocks and
`$…$` math, everything else escaped.

Raw HTML is off (markdown-it's commonmark preset with html disabled) and every piece of text goes through
provenance.exports.tex; math goes through provenance.exports.texmath's allowlist or comes out as escaped text.
Math is cut out before parsing (an underscore inside `$s_top$` is no emphasis) and put back as placeholders
made of private-use characters, which a note cannot smuggle in: they are dropped from the note first.
"""

import re

from markdown_it import MarkdownIt

from provenance.exports.tex import code, escape, tt
from provenance.exports.texmath import math

PARSER = MarkdownIt("commonmark", {"html": False}).disable(["image", "html_inline", "html_block"])
MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$(?!\$)")
OPEN, CLOSE = "\ue000", "\ue001"
HOLE = re.compile(f"{OPEN}(\\d+){CLOSE}")
INLINE = {
    "em_open": r"\emph{",
    "em_close": "}",
    "strong_open": r"\textbf{",
    "strong_close": "}",
    "softbreak": " ",
    "hardbreak": r"\\" + "\n",
}
BLOCK = {
    "bullet_list_open": "\\begin{itemize}\n",
    "bullet_list_close": "\\end{itemize}\n",
    "ordered_list_open": "\\begin{enumerate}\n",
    "ordered_list_close": "\\end{enumerate}\n",
    "list_item_open": r"\item ",
    "paragraph_close": "\n\n",
    "blockquote_open": "\\begin{quote}\n",
    "blockquote_close": "\\end{quote}\n",
    "hr": "\n\\medskip\n",
}


def markdown(text: str) -> str:
    """A note's Markdown as LaTeX running text."""
    spans: list[str] = []

    def hole(match: re.Match) -> str:
        spans.append(match.group(1))
        return f"{OPEN}{len(spans) - 1}{CLOSE}"

    text = MATH.sub(hole, str(text).replace(OPEN, "").replace(CLOSE, ""))
    return "".join(_block(token, spans) for token in PARSER.parse(text))


def _block(token, spans: list[str]) -> str:
    if token.type == "inline":
        return _inlines(token.children or [], spans)
    if token.type in ("fence", "code_block"):
        return code(_restore(token.content, spans, plain=True), "text")
    if token.type == "heading_open":
        return r"\textbf{"
    if token.type == "heading_close":
        return "}\n\n"
    return BLOCK.get(token.type, "")


def _inlines(tokens, spans: list[str]) -> str:
    out, links = [], []
    for token in tokens:
        if token.type == "text":
            out.append(_restore(token.content, spans))
        elif token.type == "code_inline":
            out.append(tt(_restore(token.content, spans, plain=True)))
        elif token.type == "link_open":
            links.append(str(token.attrs.get("href", "")))
        elif token.type == "link_close":
            # On paper a link is its text and then its address, never a live hyperlink.
            out.append(f" ({tt(links.pop())})")
        else:
            out.append(INLINE.get(token.type, ""))
    return "".join(out)


def _restore(text: str, spans: list[str], plain: bool = False) -> str:
    """Text with its math put back: typeset where safe, else escaped with its dollars (or as the raw
    characters, `plain`, inside code)."""
    out, last = [], 0
    for match in HOLE.finditer(text):
        out.append(text[last : match.start()] if plain else escape(text[last : match.start()]))
        span = spans[int(match.group(1))]
        safe = None if plain else math(span)
        out.append(f"${span}$" if plain else (f"${safe}$" if safe is not None else escape(f"${span}$")))
        last = match.end()
    out.append(text[last:] if plain else escape(text[last:]))
    return "".join(out)

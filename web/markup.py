"""Untrusted text made safe to show: program source, model output, annotations.

Code and model text are escaped (Pygments or Django's autoescape), never marked safe as they are.
Annotations are Markdown rendered with raw HTML off, then cleaned by nh3 with an explicit allowlist.
"""

import difflib
from dataclasses import dataclass

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

# Lexers have had ReDoS bugs: above this, show the source escaped but not highlighted.
HIGHLIGHT_LIMIT = 64 * 1024
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# "js-default": CommonMark without raw HTML and without linkify; headings are kept small by the allowlist.
_markdown = MarkdownIt("js-default")
_formatter = HtmlFormatter(cssclass="highlight", nowrap=False)


def render_markdown(body: str) -> SafeString:
    html = _markdown.render(body)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — nh3's output, nothing else


def highlight_python(source: str) -> SafeString:
    if len(source) > HIGHLIGHT_LIMIT:
        return mark_safe(f'<pre class="highlight">{escape(source)}</pre>')  # noqa: S308 — escaped
    return mark_safe(highlight(source, PythonLexer(), _formatter))  # noqa: S308 — Pygments escapes


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk", "same"
    text: str


def diff_lines(parent_source: str, child_source: str) -> list[DiffLine]:
    """A unified diff, line by line, for the template to escape and colour."""
    lines = difflib.unified_diff(
        parent_source.splitlines(), child_source.splitlines(), "parent", "this", lineterm="", n=2
    )
    kinds = {"+": "add", "-": "del", "@": "hunk"}
    return [
        DiffLine(kinds.get(line[:1], "same"), line) for line in lines if not line.startswith(("+++", "---"))
    ]

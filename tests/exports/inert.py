"""What "inert" means, format by format, checked on the rendered output."""

import re

from markdown_it import MarkdownIt

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def markdown_html(text: str) -> str:
    """The transcript as a CommonMark renderer with raw HTML enabled shows it."""
    return MarkdownIt("commonmark", {"html": True}).render(text)


def assert_markdown_inert(text: str) -> None:
    assert not CONTROLS.search(text)
    html = markdown_html(text)
    for tag in ("<script", "<img", "<b>", "<!--"):
        assert tag not in html, f"{tag} came through as HTML"

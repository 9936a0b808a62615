"""Every text colour of the stylesheets, the plot and the lineage graph has WCAG AA contrast against the
background it is drawn on: 4.5:1 for text, 3:1 for the graph's node colours (graphical objects)."""

import re
from pathlib import Path

import pytest

from web.plot import BEST_COLOUR, COLOURS

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
TEXT = "#1d2330"  # body text
HEADER = "#1d2330"  # the header bar's background
CODE = "#f6f7f9"  # code blocks' background
HEX = r"#[0-9a-fA-F]{3,6}\b"


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs(name: str, page: str) -> list[tuple[str, str, str]]:
    """(selector, foreground, background) for every rule that sets a colour or a background."""
    css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(), flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        selector = selector.strip()
        fg = re.search(rf"(?<![-\w])color:\s*({HEX})", body)
        bg = re.search(rf"background(?:-color)?:\s*({HEX})", body)
        if not fg and not bg:
            continue
        on_header = selector.startswith("header")
        text = "#ffffff" if on_header else TEXT  # the header bar's own text is white
        under = HEADER if on_header else page
        found.append((selector, fg.group(1) if fg else text, bg.group(1) if bg else under))
    return found


def test_the_contrast_formula_matches_wcag_s_examples():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name, page", [("seedtrace.css", "#ffffff"), ("pygments.css", CODE),
                                        ("pages/lineage.css", "#ffffff")])
def test_every_stylesheet_colour_has_aa_contrast(name, page):
    low = [(s, fg, bg, round(contrast(fg, bg), 2)) for s, fg, bg in pairs(name, page)
           if contrast(fg, bg) < 4.5]
    assert low == []


def test_the_plot_s_text_colours_have_aa_contrast_on_white():
    low = [c for c in [*COLOURS, BEST_COLOUR, TEXT] if contrast(c, "#ffffff") < 4.5]
    assert low == []


def test_the_lineage_graph_s_colours_stand_out_from_white():
    script = (STATIC / "pages" / "lineage.js").read_text()
    kinds = re.search(r"var COLOURS = \{([^}]*)\}", script).group(1)
    colours = re.findall(HEX, kinds)
    assert len(colours) == 4
    assert [c for c in colours if contrast(c, "#ffffff") < 3] == []

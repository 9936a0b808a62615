"""A search hit's excerpt marks with "…" only the ends where text was cut off, not a text shown whole."""

from web.search import CONTEXT, split


def test_a_short_text_is_shown_whole_without_marks():
    assert split("compared with laporta.", "laporta") == ("compared with ", "laporta", ".")


def test_a_long_text_is_cut_and_marked_on_both_sides():
    text = "x" * (CONTEXT + 5) + "laporta" + "y" * (CONTEXT + 5)
    before, match, after = split(text, "LAPORTA")
    assert before.startswith("…") and after.endswith("…") and match == "laporta"
    assert len(before) == len(after) == CONTEXT + 1

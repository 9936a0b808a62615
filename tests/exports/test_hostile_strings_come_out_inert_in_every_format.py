"""LaTeX specials, \\input and \\write18, HTML, fences, control characters and unicode: inert everywhere."""

import json
import re
import zipfile
from io import BytesIO

import pytest

from provenance.exports import export
from tests.exports.conftest import HOSTILE, MARKER
from tests.exports.inert import CONTROLS, assert_markdown_inert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["md", "disclosure"])
def test_markdown_formats_render_no_html_and_show_controls(story, fmt):
    text = export(fmt, candidate=story.final.pk).content.decode()
    assert MARKER in text.replace("\\", "") or fmt == "disclosure"
    assert_markdown_inert(text)


@pytest.mark.parametrize("fmt", ["tex", "disclosure-tex"])
def test_latex_formats_hold_no_raw_command_from_the_records(story, fmt):
    text = export(fmt, candidate=story.final.pk).content.decode("ascii")
    text = text.split("\\begin{document}")[-1]  # the preamble is ours (Pygments' style \defs)
    assert not re.search(r"\\(input|include|write18|immediate|catcode|csname|def)\b", text)


def test_the_jsonl_archive_keeps_the_exact_text_one_line_per_object(story):
    content = export("jsonl", run=story.run.pk).content
    assert content.isascii() and not CONTROLS.search(content.decode())
    rows = [json.loads(line) for line in content.split(b"\n") if line]
    assert any(row.get("text", "").endswith(HOSTILE) for row in rows)  # the prompt, byte for byte


def test_prov_and_crate_metadata_are_json_with_the_exact_text(story):
    prov = json.loads(export("prov", candidate=story.final.pk).content)
    assert any(HOSTILE in str(entity.get("prov:value", "")) for entity in prov["entity"].values())
    with zipfile.ZipFile(BytesIO(export("crate", candidate=story.final.pk).content)) as crate:
        metadata = json.loads(crate.read("data/ro-crate-metadata.json"))
        assert all(not name.startswith(("/", "..")) and ".." not in name for name in crate.namelist())
    assert metadata["@graph"]

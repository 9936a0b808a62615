"""The AI-use disclosure names the tools and versions, the asking, the directing, the checking, the people."""

import pytest

from provenance import ledger
from provenance.exports import export
from tests.exports.inert import assert_markdown_inert
from tests.exports.latex import compile_pdf, needs_pdflatex

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosure(story) -> str:
    return export("disclosure", candidate=story.final.pk).content.decode()


def test_it_names_the_model_the_templates_the_parameters_and_the_checks(disclosure):
    text = disclosure.replace("\\", "")
    assert "OpenAI gpt-4o-mini version 2024-07-18" in text
    assert "called 1 times" in text and "300 input and 40 output tokens" in text
    assert "funsearch version 2 (1 prompts)" in text
    assert '"max_tokens": 512' in text and '"temperature": 0.8' in text
    assert "seedtrace-solver 1" in text and "primes 2147483647" in text and '"s": 3' in text
    assert "4 evaluations in all, 1 of which failed" in text
    assert "No AI tool is an author" in text


def test_it_names_the_people_and_the_chain_head(story, disclosure):
    assert "started run" in disclosure and "bob (annotated the record)" in disclosure
    assert f"manage.py verify --run {story.run.pk}" in disclosure


def test_it_is_inert_markdown(disclosure):
    assert_markdown_inert(disclosure)


def test_without_calls_it_says_no_model_was_used(story):
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    lone = ledger.record_candidate(
        story.run,
        source="def keep(seed):\n    return 1\n",
        activity="gp_mutation",
        agent=gp,
        parents=[(story.founder, "parent")],
    )
    assert "No language model was used." in export("disclosure", candidate=lone.pk).content.decode()


@needs_pdflatex
def test_the_latex_paragraph_compiles(story, tmp_path):
    paragraph = export("disclosure-tex", candidate=story.final.pk).content.decode("ascii")
    compile_pdf(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{mathptmx}\\usepackage{courier}\n"
        f"\\begin{{document}}\n{paragraph}\\end{{document}}\n",
        tmp_path,
    )

"""Every format states at how many primes and points each number of the results was reached: a rule checked
at two says so, one complete at a single prime and point says so and why it was not repeated (as its
evaluation recorded), in Markdown, LaTeX and PROV alike."""

import json

import pytest

from provenance import ledger
from provenance.exports import export
from provenance.exports.latex import supplement
from provenance.exports.scope import candidate_scope
from provenance.exports.transcript import transcript

pytestmark = pytest.mark.django_db
FIRST, SECOND = 2147483647, 2147483629
WHY = "it scored below the run's best so far, so it could not be a final result"


def flat(text: str) -> str:
    """Markdown or LaTeX as words: escapes dropped, an apostrophe and a hyphen as themselves."""
    text = text.replace("\\textquotesingle{}", "'").replace("-{}", "-")
    return " ".join(text.replace("\\", "").split())


def final_members(candidate) -> list[dict]:
    prov = json.loads(export("prov", candidate=candidate.pk).content)
    return [entity for name, entity in sorted(prov["entity"].items()) if name.startswith("st:final-")]


def child(story, details: dict):
    candidate = ledger.record_candidate(story.run, source="def keep(seed):\n    return seed.d <= 0\n",
                                        activity="gp_mutation", agent=story.final.agent,
                                        parents=[(story.final, "parent")])
    ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=-80, seeds=80,
                             equations=720, prime=FIRST, details=details)
    return candidate


def test_a_rule_checked_at_two_primes_says_two_in_every_format(story):
    checked = child(story, {"checks": [{"prime": SECOND, "agree": True, "complete": True}],
                            "second_check": "it scored at least the run's best so far"})
    scope = candidate_scope(checked)
    formats = ((flat(transcript(scope)), " | "), (flat(supplement(scope)), " & "))
    for text, between in formats:
        assert between.join(["rank3", "complete", "80", "720", "2", ""]) in text  # the primes column
        assert "2 independent primes and random points on rank3" in text
        assert "complete at one prime and point only" not in text
    (rank3, _) = final_members(checked)
    assert rank3["st:primes_checked"]["$"] == "2" and rank3["st:prime"] == [str(FIRST), str(SECOND)]


def test_a_rule_complete_at_one_prime_says_so_and_why(story):
    single = child(story, {"second_check": WHY})
    scope = candidate_scope(single)
    for text in (flat(transcript(scope)), flat(supplement(scope))):
        assert "one prime and point on rank3 (not repeated: " + WHY + ")" in text
        assert "Problem rank3: complete at one prime and point only (" + WHY + ")." in text
    (rank3, _) = final_members(single)
    assert rank3["st:primes_checked"]["$"] == "1" and rank3["st:second_check"] == WHY


def test_a_verdict_that_differed_at_the_second_prime_is_not_counted_as_reached_there(story):
    differed = child(story, {"checks": [{"prime": SECOND, "agree": False, "complete": False}]})
    text = flat(transcript(candidate_scope(differed)))
    assert f"Problem rank3: the verdict differed at prime(s) [{SECOND}]." in text
    assert "Problem rank3: complete at one prime and point only." in text
    (rank3, _) = final_members(differed)
    assert rank3["st:primes_checked"]["$"] == "1" and rank3["st:prime_disagreed"] == str(SECOND)


def test_a_rule_that_failed_was_reached_at_no_prime(story):
    failed = ledger.record_candidate(story.run, source="def keep(seed):\n    return 1 / 0\n",
                                     activity="gp_mutation", agent=story.final.agent)
    ledger.record_evaluation(failed, problem="rank3", verdict="failed", failure="exception", error="1 / 0")
    scope = candidate_scope(failed)
    for text in (flat(transcript(scope)), flat(supplement(scope))):
        assert "none on rank3 (failed, no reduction recorded)" in text

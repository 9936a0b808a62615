"""A candidate's parents and children with their scores: parents with how much this candidate changed
the score, children best first. One query for the scores of both, whatever the size of the run."""

from dataclasses import dataclass

from django.db.models import Q

from provenance.models import Candidate, Edge, Evaluation
from web.markup import DiffLine, diff_lines
from web.scores import Explained, explain_all

CHILDREN_SHOWN = 50


@dataclass(frozen=True)
class Kin:
    edge: Edge
    candidate: Candidate
    explained: Explained | None
    change: float | None = None  # this candidate's score minus the parent's (higher is better)
    diff: list[DiffLine] | None = None


def parents_and_children(candidate: Candidate, explained: Explained) -> tuple[list[Kin], list[Kin], int]:
    """(parents in edge order, the best CHILDREN_SHOWN children best first, how many children in all)."""
    parent_edges = list(candidate.parent_edges.select_related("parent__agent").order_by("seq"))
    child_edges = list(Edge.objects.filter(parent=candidate).select_related("child__agent").order_by("seq"))
    scores = explain_all(Evaluation.objects.filter(
        Q(candidate_id__in=[edge.parent_id for edge in parent_edges])
        | Q(candidate_id__in=Edge.objects.filter(parent=candidate).values("child_id"))
    ).only("candidate_id", "run_id", "problem", "verdict", "score", "seeds", "unreduced", "failure",
            "details"))
    parents = []
    for edge in parent_edges:
        theirs = scores.get(edge.parent_id)
        change = None
        if explained.score is not None and theirs is not None and theirs.score is not None:
            change = explained.score - theirs.score
        diff = diff_lines(edge.parent.source, candidate.source)
        parents.append(Kin(edge, edge.parent, theirs, change, diff))
    children = [Kin(edge, edge.child, scores.get(edge.child_id)) for edge in child_edges]
    children.sort(key=_best_first)
    return parents, children[:CHILDREN_SHOWN], len(children)


def _best_first(kin: Kin) -> tuple:
    score = kin.explained.score if kin.explained else None
    return (score is None, -(score or 0), kin.candidate.pk)

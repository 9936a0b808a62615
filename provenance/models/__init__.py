from provenance.models.agents import Agent
from provenance.models.annotations import Annotation, AnnotationHead
from provenance.models.base import Record
from provenance.models.events import RunEvent
from provenance.models.graph import Activity, Candidate, Edge, Evaluation
from provenance.models.imports import Import, ImportedGap
from provenance.models.llm import LLMCall, Prompt
from provenance.models.people import Profile
from provenance.models.projects import Membership, Project
from provenance.models.reviewers import ReviewerLink
from provenance.models.runs import ChainHead, Run

# Every record model, in the order verify reads a chain's tables (any order would do: it merges by seq).
RECORD_MODELS = (Agent, Run, Prompt, LLMCall, Candidate, Evaluation, Edge, Annotation, RunEvent)

__all__ = [
    "RECORD_MODELS",
    "Activity",
    "Agent",
    "Annotation",
    "AnnotationHead",
    "Candidate",
    "ChainHead",
    "Edge",
    "Evaluation",
    "Import",
    "ImportedGap",
    "LLMCall",
    "Membership",
    "Profile",
    "Project",
    "Prompt",
    "Record",
    "ReviewerLink",
    "Run",
    "RunEvent",
]

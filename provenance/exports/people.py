"""Who took part in a scope, as the crate, the citation and the Zenodo metadata name them: each person once,
with the name and ORCID iD of their profile (provenance.models.Profile) and what they did.

An imported note's author is a name, never an account here (provenance.models.Annotation), so has no ORCID.
"""

from dataclasses import dataclass, field

from provenance.exports.facts import one_line
from provenance.exports.scope import Scope
from provenance.models import Profile
from provenance.orcid import url


@dataclass
class Contributor:
    key: str  # "user-3", or "name-<name>" for a name without an account
    name: str
    orcid: str = ""
    roles: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The crate's @id: the ORCID iD's URL where there is one (RO-Crate's recommendation), else local."""
        return url(self.orcid) if self.orcid else f"#{self.key}"


def contributors(scope: Scope) -> list[Contributor]:
    found: dict[str, Contributor] = {}
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=_user_ids(scope))}

    def add(user, name: str, role: str) -> None:
        key = f"user-{user.pk}" if user is not None else f"name-{name}"
        if key not in found:
            profile = profiles.get(getattr(user, "pk", None))
            shown = (profile.name if profile and profile.name else "") or name
            found[key] = Contributor(key, one_line(shown), profile.orcid if profile else "")
        if role not in found[key].roles:
            found[key].roles.append(role)

    for run in scope.runs:
        if run.started_by is not None:
            add(
                run.started_by,
                run.started_by.get_full_name() or run.started_by.get_username(),
                "started the run",
            )
    for agent in scope.agents:
        if agent.kind == "person":
            add(agent.user, agent.name, "wrote or edited programs")
    for note in scope.annotations:
        add(note.author, note.author_name, "annotated the record")
    return sorted(found.values(), key=lambda c: c.key)


def _user_ids(scope: Scope) -> set[int]:
    ids = {run.started_by_id for run in scope.runs} | {a.user_id for a in scope.agents if a.kind == "person"}
    ids |= {note.author_id for note in scope.annotations}
    return ids - {None}

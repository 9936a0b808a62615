"""How to cite a record: a CITATION.cff (Citation File Format 1.2.0) and a .zenodo.json (Zenodo's deposit
metadata), both inside the crate, written from the scope's people (provenance.exports.people).

Both are deterministic for one scope: no dates but the record's own, keys in a fixed order.
"""

import json

from provenance.exports.facts import heads
from provenance.exports.people import Contributor, contributors
from provenance.exports.scope import Scope

LICENSE = "CC-BY-4.0"


def title(scope: Scope) -> str:
    what = f"ancestry of candidate {scope.focus.pk}" if scope.focus else f"run {scope.run.pk}"
    return f"Seedtrace provenance record: {what} ({scope.run.family})"


def citation_cff(scope: Scope) -> str:
    people = contributors(scope) or [Contributor("unknown", "Unknown")]
    lines = [
        "cff-version: 1.2.0",
        "message: If you use this record, please cite it as below.",
        "type: dataset",
        f"title: {_quoted(title(scope))}",
        f"license: {LICENSE}",
        "authors:",
    ]
    for person in people:
        lines.append(f"  - name: {_quoted(person.name)}")
        if person.orcid:
            lines.append(f"    orcid: {_quoted('https://orcid.org/' + person.orcid)}")
    lines.append("identifiers:")
    lines += [
        f"  - type: other\n    value: {_quoted(f'{h.chain} {h.seq} {h.hash}')}\n"
        f"    description: hash-chain head"
        for h in heads(scope)
    ]
    return "\n".join(lines) + "\n"


def zenodo_json(scope: Scope) -> str:
    creators = [{"name": p.name, **({"orcid": p.orcid} if p.orcid else {})} for p in contributors(scope)] or [
        {"name": "Unknown"}
    ]
    metadata = {
        "upload_type": "dataset",
        "title": title(scope),
        "creators": creators,
        "description": "Every step of an evolutionary search for IBP seeding rules, recorded by Seedtrace: "
        "prompts, raw model outputs, programs, scores and notes, hash-chained ("
        + "; ".join(f"{h.chain} seq {h.seq} {h.hash}" for h in heads(scope))
        + ").",
        "license": LICENSE.lower(),
        "keywords": ["Feynman integrals", "integration by parts", "provenance", "RO-Crate"],
    }
    return json.dumps(metadata, indent=2, sort_keys=True) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string escapes are YAML's, so a name cannot break the file."""
    return json.dumps(text, ensure_ascii=True)

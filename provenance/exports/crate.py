"""The RO-Crate: a zip that is a BagIt bag (RFC 8493) whose payload, data/, is an RO-Crate 1.1 conforming to
the Process Run Crate 0.5 profile (RO-Crate 1.2 with that profile fails a REQUIRED check of roc-validator).

Inside, all of one scope (a candidate's ancestry closure, or a whole run: provenance.exports.scope): the
transcript, the disclosure, the PROV-JSON, the JSONL archive and each program as a file; each program's
creation is a CreateAction (instrument: the model or algorithm that wrote it, or Seedtrace; object: its
parents' files); a whole Pareto run's front is named as its results (in the root's description, and each
program on it gives its point); the people are Person entities, identified by their ORCID iDs where their
profiles give one, and the crate carries a CITATION.cff and a .zenodo.json (provenance.exports.citation).
Checksums are in the bag's manifest-sha256.txt, not in the crate's metadata (sha256 is no term of the 1.1
context).
RO-Crate 1.2 with Process Run Crate 0.6 would be newer, but roc-validator 0.13 has only the 0.5 profile (a
profile of RO-Crate 1.1), so nothing here could check a 1.2 crate offline. Zenodo takes the zip as an
ordinary deposit.
"""

import hashlib
import io
import tempfile
import zipfile
from datetime import UTC
from pathlib import Path

from django.utils import timezone
from rocrate.model.contextentity import ContextEntity
from rocrate.rocrate import ROCrate

from provenance.exports import Export, progress
from provenance.exports import render as render_format
from provenance.exports.citation import citation_cff, zenodo_json
from provenance.exports.facts import describe_agent, heads
from provenance.exports.front import RunFront, point_text, run_front
from provenance.exports.people import contributors
from provenance.exports.scope import Scope
from provenance.models import Candidate

PROFILE = "https://w3id.org/ro/wfrun/process/0.5"
SEEDTRACE = "#seedtrace"
FILES = [  # (format, name inside the crate, description)
    ("md", "transcript.md", "Transcript of every step (Markdown)"),
    ("disclosure", "ai-use-disclosure.md", "AI-use disclosure paragraph"),
    ("disclosure-tex", "ai-use-disclosure.tex", "AI-use disclosure paragraph (LaTeX)"),
    ("prov", "provenance.prov.json", "W3C PROV-JSON of the lineage"),
    ("jsonl", "archive.jsonl", "Lossless Seedtrace archive of the same records: manage.py import"),
]


def render(scope: Scope) -> Export:
    return Export(bag(scope), f"{scope.name}.crate.zip", "application/zip")


def bag(scope: Scope) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        payload = Path(folder) / "data"
        described = crate(scope)
        progress.step(progress.BAGGING)
        described.write(payload)
        files = sorted(path for path in payload.rglob("*") if path.is_file())
        manifest = "".join(
            f"{_sha256(path.read_bytes())}  data/{path.relative_to(payload).as_posix()}\n" for path in files
        )
        size = sum(path.stat().st_size for path in files)
        tags = {
            "bagit.txt": "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "bag-info.txt": (
                f"Bagging-Date: {timezone.now().astimezone(UTC).date().isoformat()}\n"
                f"Payload-Oxum: {size}.{len(files)}\n"
                "External-Description: Seedtrace provenance record (RO-Crate 1.1, Process Run Crate 0.5)\n"
                + "".join(f"Seedtrace-Chain-Head: {h.chain} {h.seq} {h.hash}\n" for h in heads(scope))
            ),
            "manifest-sha256.txt": manifest,
        }
        tags["tagmanifest-sha256.txt"] = "".join(
            f"{_sha256(text.encode())}  {name}\n" for name, text in tags.items()
        )
        payload_files = {f"data/{path.relative_to(payload).as_posix()}": path.read_bytes() for path in files}
        return _zip({**tags, **payload_files})


def _zip(members: dict[str, str | bytes]) -> bytes:
    """Every member is stamped with the export's moment, not the clock as each is written: the same crate
    made twice in one moment is the same bytes (a zip's times have two-second steps)."""
    moment = timezone.now().astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            member = zipfile.ZipInfo(name, date_time=moment)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, content)
    return buffer.getvalue()


def crate(scope: Scope) -> ROCrate:
    rc = ROCrate(version="1.1")
    root = rc.root_dataset
    # rocrate stamps its own wall clock; the export's moment (the one every file of it names) instead.
    root["datePublished"] = timezone.now().astimezone(UTC).isoformat()
    what = f"ancestry of candidate {scope.focus.pk}" if scope.focus else f"run {scope.run.pk}"
    root["name"] = f"Seedtrace record: {what}"
    root["description"] = (
        f"Every step that led to the {what} ({scope.run.family}): prompts, raw model outputs, programs, "
        "scores, notes, with the hash-chain head "
        + "; ".join(f"{h.chain} seq {h.seq} {h.hash}" for h in heads(scope))
    )
    root["license"] = {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    rc.add(
        ContextEntity(
            rc, "https://creativecommons.org/licenses/by/4.0/", {"@type": "CreativeWork", "name": "CC BY 4.0"}
        )
    )
    profile = rc.add(
        ContextEntity(rc, PROFILE, {"@type": "CreativeWork", "name": "Process Run Crate", "version": "0.5"})
    )
    root["conformsTo"] = [profile]
    for fmt, name, description in FILES:
        rc.add_file(
            io.BytesIO(render_format(fmt, scope).content),
            dest_path=name,
            properties={"name": name, "description": description},
        )
    progress.step(progress.DESCRIBING)
    seedtrace = rc.add(
        ContextEntity(
            rc,
            SEEDTRACE,
            {
                "@type": "SoftwareApplication",
                "name": "Seedtrace",
                "softwareVersion": ", ".join(
                    sorted({run.code_version or "unrecorded" for run in scope.runs})
                ),
            },
        )
    )
    tools = {}
    for agent in scope.agents:
        if agent.kind in ("model", "algorithm"):
            tools[agent.pk] = rc.add(
                ContextEntity(
                    rc,
                    f"#agent-{agent.hash}",
                    {
                        "@type": "SoftwareApplication",
                        "name": describe_agent(agent),
                        **({"softwareVersion": agent.version} if agent.version else {}),
                    },
                )
            )
    people = {}
    for contributor in contributors(scope):
        people[contributor.key] = rc.add(
            ContextEntity(rc, contributor.id, {
                "@type": "Person", "name": contributor.name, "description": "; ".join(contributor.roles),
                **({"identifier": contributor.id} if contributor.orcid else {}),
            })
        )
    root["author"] = list(people.values())
    for name, text, description in (
        ("CITATION.cff", citation_cff(scope), "How to cite this record (Citation File Format 1.2.0)"),
        (".zenodo.json", zenodo_json(scope), "Zenodo deposit metadata"),
    ):
        rc.add_file(io.BytesIO(text.encode("utf-8")), dest_path=name,
                    properties={"name": name, "description": description})
    programs = {}
    for candidate in scope.candidates:
        programs[candidate.pk] = rc.add_file(
            io.BytesIO(candidate.source.encode("utf-8")),
            dest_path=f"programs/candidate-{candidate.pk}.py",
            properties={
                "name": f"candidate {candidate.pk}",
                "encodingFormat": "text/x-python",
                "identifier": candidate.hash,
            },
        )
    if scope.whole_run:
        _front(root, programs, run_front(scope))
    starters = {run.pk: people.get(f"user-{run.started_by_id}") for run in scope.runs}
    for candidate in scope.candidates:
        rc.add_action(
            tools.get(candidate.agent_id, seedtrace),
            identifier=f"#create-{candidate.hash}",
            object=[programs[p.pk] for _, p in scope.parents(candidate)],
            result=[programs[candidate.pk]],
            properties=_action(candidate, starters.get(candidate.run_id)),
        )
    return rc


def _front(root, programs: dict, front: RunFront | None) -> None:
    """A Pareto run's results are its front: the root says so, and each program on it gives its point."""
    if front is None or not front.rows:
        return
    root["description"] += f". {front.title}: " + "; ".join(point_text(front, row) for row in front.rows)
    for row in front.rows:
        program = programs[row.candidate.pk]
        point = point_text(front, row)
        program["description"] = f"On the run's Pareto front under {front.objective}: {point}"


def _action(candidate: Candidate, starter) -> dict:
    properties = {
        "name": f"{candidate.activity} produced candidate {candidate.pk}",
        "endTime": candidate.recorded_at.astimezone(UTC).isoformat(),
    }
    if starter is not None:
        properties["agent"] = {"@id": starter.id}
    return properties


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

"""roc-validator, offline: the JSON-LD contexts it fetches are answered from tests/exports/standards/."""

from pathlib import Path

import requests

STANDARDS = Path(__file__).parent / "standards"
CONTEXTS = {
    "https://w3id.org/ro/crate/1.1/context": "ro-crate-1.1-context.jsonld",
    "https://w3id.org/ro/crate/1.2/context": "ro-crate-1.2-context.jsonld",
}


def local_get(self, url: str, *args, **kwargs) -> requests.Response:
    """The validator's HTTP GET, answered from the local copies; anything else is refused."""
    name = CONTEXTS.get(str(url).rstrip("/"))
    if name is None:
        raise requests.ConnectionError(f"offline: no local copy of {url}")
    response = requests.Response()
    response.status_code, response.url = 200, str(url)
    response.headers["Content-Type"] = "application/ld+json"
    response._content = (STANDARDS / name).read_bytes()
    return response


def validate(path: Path, tmp_path: Path, monkeypatch, profile: str = "process-run-crate-0.5"):
    from rocrate_validator import services
    from rocrate_validator.models import Severity
    from rocrate_validator.utils.http import HttpRequester

    monkeypatch.setattr(HttpRequester, "get", local_get, raising=False)
    settings = {
        "rocrate_uri": str(path),
        "profile_identifier": profile,
        "requirement_severity": Severity.REQUIRED,
        "cache_path": str(tmp_path / "http-cache"),
        "disable_remote_crate_download": True,
    }
    return services.validate(settings)

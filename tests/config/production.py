"""The documented production settings (deploy/seedtrace.env.example) as the environment of real commands."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "seedtrace.env.example"


def documented_settings() -> dict[str, str]:
    """NAME=value lines, as systemd's EnvironmentFile= and `sh` read them (comments, blank lines skipped)."""
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        assert equals and name.isidentifier(), f"{EXAMPLE.name}: not NAME=value: {line!r}"
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        values[name] = value
    return values


def production_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The documented settings alone (nothing from the test run's own environment but PATH and HOME), with the
    service's files under `var_dir`."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(documented_settings())
    env.update(SEEDTRACE_VAR_DIR=str(var_dir), NUMBA_CACHE_DIR=str(var_dir / "numba"))
    env.update(overrides)
    return env

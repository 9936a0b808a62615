"""Write tests/sources/fixtures/ with the real tools: OpenEvolve and ShinkaEvolve, each run for a few
iterations on a toy seeding-rule problem (tests/sources/toy.py) against the local OpenAI-protocol test server.

    python3 tests/sources/make_fixtures.py [--venvs DIR]

Each tool is installed, at the version pinned in pyproject.toml's `sources` extra, into a throwaway venv of
its own under DIR (default: a temporary directory; pass one to reuse it): they pin other versions of what
Seedtrace uses, so they never enter .venv. What they write is copied as written (their logs left out).
Both tools are Apache-2.0; the files are our output, committed as test fixtures.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"
# tool → (package in the `sources` extra, runner script, what to keep of its output directory)
TOOLS = {
    "openevolve": ("openevolve", "run_openevolve.py", "openevolve_output"),
    "shinka": ("shinka-evolve", "run_shinka.py", "results"),
}


def pins() -> dict[str, str]:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"][
        "sources"
    ]
    return {re.split(r"[=<>!~ ]", pin)[0]: pin for pin in extra}


def venv(directory: Path, tool: str, pin: str) -> Path:
    python = directory / tool / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(directory / tool)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", pin], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venvs", type=Path, help="where the tools' venvs are made (and reused)")
    parser.add_argument("tools", nargs="*", default=list(TOOLS))
    args = parser.parse_args()
    venvs = args.venvs or Path(tempfile.mkdtemp(prefix="seedtrace-sources-"))
    pinned = pins()
    for tool in args.tools:
        package, runner, kept = TOOLS[tool]
        python = venv(venvs, tool, pinned[package])
        with tempfile.TemporaryDirectory(prefix=f"{tool}-run-") as out:
            subprocess.run([str(python), str(HERE / runner), out], check=True, cwd=ROOT)
            target = FIXTURES / tool
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(out) / kept, target, ignore=shutil.ignore_patterns("logs", "*.log"))
        print(f"{tool}: {pinned[package]} wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

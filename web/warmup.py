"""Everything a server process would otherwise do on its first requests, done once at start-up: import
every view (and the solver, sympy and numba behind the run page), compile every page template, and build
the Python lexer's tables. Under load a process's first run page took over 3 s, its first candidate page
most of a second (bench/load.py); with gunicorn's preload_app the work is done once, before forking."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


def warm_up() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver

    from web.markup import highlight_python

    get_resolver().check()  # resolves every pattern: imports every view module
    for path in sorted(TEMPLATES.rglob("*.html")):
        get_template(path.relative_to(TEMPLATES).as_posix())
    highlight_python("def keep(seed):\n    return seed.r <= seed.r_top\n")

"""ExecCondition of deploy/systemd/seedtrace-controller@.service: `python deploy/run_unfinished.py RUN`.

Exit 0 when run RUN can be resumed; 1 when it has finished or was cancelled (systemd then skips the unit,
which stays inactive instead of failing on `evolve --resume`); 255 when there is no such run or the database
cannot be read (systemd marks the unit failed).
"""

import os
import sys
from pathlib import Path

ENDED = {"finished", "cancelled"}


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedtrace.settings")
    try:
        import django

        django.setup()
        from evolution.models import RunState
        from provenance.models import Run

        run_id = int(argv[1])
        if not Run.objects.filter(pk=run_id).exists():
            print(f"no run {run_id}", file=sys.stderr)
            return 255
        status = RunState.objects.filter(run_id=run_id).values_list("status", flat=True).first()
    except Exception as error:  # any failure to read the run is the unit's failure
        print(f"cannot read run {argv[1:]}: {type(error).__name__}: {error}", file=sys.stderr)
        return 255
    if status in ENDED:
        print(f"run {run_id} is {status}: nothing to resume")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

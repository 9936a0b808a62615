"""What a local pool process runs. Imported by a freshly spawned interpreter before Django is set up, so
nothing here imports models at module level."""

import multiprocessing


def setup() -> None:
    import django

    django.setup()


def evaluate(candidate_id: int) -> str:
    from evolution import evaluation

    worker = f"pool:{multiprocessing.current_process().pid}"
    return evaluation.evaluate_candidate(candidate_id, worker=worker).state

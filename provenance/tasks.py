"""Celery tasks of the record store: thin wrappers that call services with ids.

Celery's Django fixup closes stale database connections around every task in a worker, so tasks need not.
"""

import os
import socket

from celery import shared_task

from provenance.verify import verify


@shared_task(name="provenance.verify_ledger", ignore_result=False)
def verify_ledger(run_id: int | None = None) -> dict:
    """Verify the ledger (one run's chain, or every chain) where the worker is; reply with the chain heads."""
    reports = verify(run_id)
    return {
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "chains": [
            {"name": r.name, "records": r.records, "seq": r.seq, "hash": r.hash,
             "mismatch": str(r.mismatch) if r.mismatch else None}
            for r in reports
        ],
    }

"""The project's Celery app, with Redis's sweep for unacknowledged messages every second.

kombu sweeps every `unacked_restore_interval` (10 s) but scans only on every `unacked_restore_throttle`-th
(10th) sweep, so a killed worker's message comes back up to 100 s after its visibility timeout: too slow for
a test that kills a worker. Start a test worker with `celery_worker(..., app="tests.celery_app")`.
"""

from seedtrace.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}

"""bench/records.py measures, on the database it records to, what one bare write costs the machine: an
INSERT … RETURNING committed alone, back to back and after some of the client's own work (as a record's write
comes after its records are built). A candidate's recording can then be read as a number of such writes, a
measure less tied to the VM of the day than milliseconds are."""

import time

import pytest
from django.db import connection

from tests.benches import load_bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_both_round_trips_are_timed_and_the_scratch_table_is_dropped():
    records = load_bench("records")
    trip = records.bench_round_trip(connection, n=20, work_ms=2.0)
    assert trip["back_to_back"]["n"] == trip["after_client_work"]["n"] == 20
    assert 0 < trip["back_to_back"]["min_ms"] <= trip["back_to_back"]["median_ms"]
    assert trip["client_work_ms"] == 2.0
    assert "bench_round_trip" not in connection.introspection.table_names()


def test_the_client_s_work_is_not_counted_in_the_round_trip():
    records = load_bench("records")
    started = time.perf_counter()
    trip = records.bench_round_trip(connection, n=10, work_ms=20.0)
    assert time.perf_counter() - started >= 10 * 0.020  # the work was done…
    assert trip["after_client_work"]["median_ms"] < 20.0  # …and left out of each write's time

"""The API key is sent to the endpoint and nowhere else: not into any column of any table (even when the
server echoes it back), not into the logs."""

import logging

import pytest
from django.db import connection

from evolution.controller import Controller
from provenance.models import LLMCall
from tests.llm.conftest import KEY, llm_config
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db(transaction=True)


def every_value_in_the_database():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    yield table, value if isinstance(value, str) else repr(value)


def test_the_key_is_sent_but_never_recorded_or_logged(server, project, alice, caplog):
    caplog.set_level(logging.DEBUG)
    echo = f'{{"error": {{"message": "Rate limited for key {KEY}"}}}}'.encode()
    server.script.extend([Reply(status=429, body=echo, headers={"Retry-After": "0"}),
                          Reply(text=f"    return seed.d == 0  # {KEY}\n")])
    controller = Controller.start(project, llm_config(server, budget=8), user=alice)
    controller.evolve()
    authorizations = {value for request in server.requests
                      for name, value in request["headers"].items() if name.lower() == "authorization"}
    assert authorizations == {f"Bearer {KEY}"}  # it was really used
    calls = LLMCall.objects.filter(run=controller.run)  # the step's two calls were in flight together
    assert "[redacted]" in calls.get(error_type="429").response_body
    echoed = calls.get(response_text__contains="[redacted]")
    assert echoed.params["notes"] == ["the API key was in the answer: replaced by [redacted]"]
    fragment = KEY[10:26]
    leaks = [(table, value[:80]) for table, value in every_value_in_the_database() if fragment in value]
    assert leaks == []
    assert fragment not in caplog.text
    searched = {table for table, _ in every_value_in_the_database()}
    assert {LLMCall._meta.db_table, "provenance_prompt", "provenance_candidate", "provenance_run"} <= searched
